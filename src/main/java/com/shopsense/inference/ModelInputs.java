package com.shopsense.inference;

import java.util.List;
import java.util.Map;

/** Orders named per-example inputs as the manifest lists the model's inputs. */
public final class ModelInputs {
    private ModelInputs() {
    }

    public static Object[] ordered(ModelEntry entry, Map<String, Object> byName) {
        List<TensorSpec> specs = entry.inputs();
        Object[] out = new Object[specs.size()];
        for (int i = 0; i < out.length; i++) {
            Object v = byName.get(specs.get(i).name());
            if (v == null) {
                throw new IllegalArgumentException("no value for input " + specs.get(i).name() + " of " + entry.name());
            }
            out[i] = v;
        }
        return out;
    }

    public static int inputIndex(ModelEntry entry, String name) {
        for (int i = 0; i < entry.inputs().size(); i++) {
            if (entry.inputs().get(i).name().equals(name)) {
                return i;
            }
        }
        throw new IllegalArgumentException("model " + entry.name() + " has no input " + name);
    }

    public static int outputIndex(ModelEntry entry, String name) {
        for (int i = 0; i < entry.outputs().size(); i++) {
            if (entry.outputs().get(i).name().equals(name)) {
                return i;
            }
        }
        throw new IllegalArgumentException("model " + entry.name() + " has no output " + name);
    }
}
