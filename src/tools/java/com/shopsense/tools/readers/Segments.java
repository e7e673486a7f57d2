package com.shopsense.tools.readers;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** The six segments (docs/insight.md, insight.SegmentRules) and what each means to a merchandiser, in rule order. */
final class Segments {
    static final List<String> ORDER = List.of("prospect", "new", "active", "loyal", "at_risk", "dormant");

    private Segments() {
    }

    static String meaning(String segment) {
        return switch (segment) {
            case "prospect" -> "Has not ordered yet";
            case "new" -> "First order recently: too early to judge";
            case "active" -> "Customer ordering regularly";
            case "loyal" -> "Frequent, high-value customer";
            case "at_risk" -> "Customer likely to stop buying: long since the last order, or churn risk at or above the threshold";
            case "dormant" -> "No order for 90 days or more";
            default -> "Segment not known to this page";
        };
    }

    /** {@code {"name":..,"meaning":..}}, or null when the user has no segment yet. */
    static JsonNode describe(String segment) {
        if (segment == null || segment.isEmpty()) {
            return NullNode.getInstance();
        }
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("name", segment);
        n.put("meaning", meaning(segment));
        return n;
    }
}
