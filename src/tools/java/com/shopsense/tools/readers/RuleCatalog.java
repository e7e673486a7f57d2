package com.shopsense.tools.readers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.shopsense.event.EventLimits;
import com.shopsense.event.InvalidEventException;
import com.shopsense.event.RuleParser;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The fraud rules as the risk console sees them: every valid version read from the fraud-rules topic (the job's
 * own parser decides what is valid; the first document of an id and version wins, as in the job), and the new
 * versions the console's commands publish. Disabling and rolling back never edit a version: they publish the
 * next one, so the job's choice (the highest version effective at a payment's time) does the rest.
 */
final class RuleCatalog {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Map<String, NavigableMap<Integer, ObjectNode>> byId = new TreeMap<>();
    private final RuleParser parser = new RuleParser(EventLimits.defaults(), () -> Long.MAX_VALUE / 4);

    /** Adds a document read from the topic; false (ignored) when the job would refuse it too. */
    boolean add(byte[] doc) {
        try {
            var r = parser.parse(doc);
            ObjectNode n = (ObjectNode) JSON.readTree(doc);
            byId.computeIfAbsent(r.ruleId(), k -> new TreeMap<>()).putIfAbsent(r.version(), n);
            return true;
        } catch (InvalidEventException | java.io.IOException e) {
            return false;
        }
    }

    /** The newest version of each rule (what applies once its effective time has come). */
    List<ObjectNode> latest() {
        List<ObjectNode> out = new ArrayList<>();
        byId.values().forEach(v -> out.add(v.lastEntry().getValue()));
        return out;
    }

    ObjectNode version(String ruleId, int version) {
        NavigableMap<Integer, ObjectNode> v = byId.get(ruleId);
        return v == null ? null : v.get(version);
    }

    int latestVersion(String ruleId) {
        NavigableMap<Integer, ObjectNode> v = byId.get(ruleId);
        return v == null ? 0 : v.lastKey();
    }

    /** A new document, checked against the contract and against the versions published already. */
    byte[] publish(byte[] doc) throws InvalidEventException {
        var r = parser.parse(doc);
        if (r.version() <= latestVersion(r.ruleId())) {
            throw new InvalidEventException("version_conflict", r.ruleId() + " has version "
                    + latestVersion(r.ruleId()) + " already; publish version " + (latestVersion(r.ruleId()) + 1));
        }
        return doc;
    }

    /** The next version of the rule, disabled, effective from {@code from}. */
    byte[] disable(String ruleId, Instant from) throws InvalidEventException {
        ObjectNode latest = require(ruleId, latestVersion(ruleId));
        return next(latest, ruleId, from, false);
    }

    /** The next version of the rule with the condition, action and reason of {@code toVersion}, enabled. */
    byte[] rollback(String ruleId, int toVersion, Instant from) throws InvalidEventException {
        return next(require(ruleId, toVersion), ruleId, from, true);
    }

    private byte[] next(ObjectNode base, String ruleId, Instant from, boolean enabled) throws InvalidEventException {
        ObjectNode n = base.deepCopy();
        n.put("version", latestVersion(ruleId) + 1);
        n.put("enabled", enabled);
        n.put("effectiveFrom", from.toString());
        byte[] doc = n.toString().getBytes(StandardCharsets.UTF_8);
        parser.parse(doc);
        return doc;
    }

    private ObjectNode require(String ruleId, int version) throws InvalidEventException {
        ObjectNode n = version(ruleId, version);
        if (n == null) {
            throw new InvalidEventException("unknown_rule", ruleId + "@" + version + " was never published");
        }
        return n;
    }

    static String field(JsonNode n, String f) {
        return n.path(f).isMissingNode() ? "" : n.path(f).asText();
    }
}
