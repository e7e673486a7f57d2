package com.shopsense.inference;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * One ONNX Runtime session for one manifest model, checked against the manifest before use:
 * checksum, input and output names, dtypes and shapes. Any mismatch names the file.
 */
public final class LoadedModel implements AutoCloseable {
    private final ModelEntry entry;
    private final OrtSession session;
    private final String provider;
    private volatile boolean closed;

    private LoadedModel(ModelEntry entry, OrtSession session, String provider) {
        this.entry = entry;
        this.session = session;
        this.provider = provider;
    }

    public static LoadedModel load(OrtEnvironment env, ModelSource source, ModelEntry entry, RuntimeOptions runtime) {
        String where = source.describe(entry.file());
        byte[] bytes = source.read(entry.file());
        String actual = sha256(bytes);
        if (!actual.equalsIgnoreCase(entry.sha256())) {
            throw new ModelLoadException("model file " + where + " has sha256 " + actual + " but manifest.json says "
                    + entry.sha256() + " (corrupt, truncated or swapped file?)", null);
        }
        OrtSession session = null;
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(runtime.intraOpThreads());
            options.setInterOpNumThreads(1);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            String provider = ExecutionProvider.configure(options, runtime);
            session = env.createSession(bytes, options);
            checkSignature(where, entry.inputs(), session.getInputInfo());
            checkSignature(where, entry.outputs(), session.getOutputInfo());
            return new LoadedModel(entry, session, provider);
        } catch (OrtException e) {
            throw new ModelLoadException("ONNX Runtime cannot load model file " + where + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(session);
            throw e;
        }
    }

    private static void checkSignature(String where, List<TensorSpec> expected, Map<String, NodeInfo> actual) {
        if (actual.size() != expected.size()) {
            throw new ModelLoadException("model file " + where + " has tensors " + actual.keySet()
                    + " but manifest.json declares " + expected, null);
        }
        for (TensorSpec spec : expected) {
            NodeInfo node = actual.get(spec.name());
            if (node == null || !(node.getInfo() instanceof TensorInfo info)) {
                throw new ModelLoadException("model file " + where + " has no tensor '" + spec.name() + "' (has "
                        + actual.keySet() + ")", null);
            }
            OnnxJavaType want = spec.isInt64() ? OnnxJavaType.INT64 : OnnxJavaType.FLOAT;
            long[] shape = info.getShape();
            boolean sameRank = shape.length == spec.shape().length;
            boolean sameDims = sameRank;
            for (int i = 1; sameRank && i < shape.length; i++) {
                sameDims &= shape[i] == spec.shape()[i];
            }
            if (info.type != want || !sameDims) {
                throw new ModelLoadException("model file " + where + " tensor '" + spec.name() + "' is "
                        + info.type + java.util.Arrays.toString(shape) + " but manifest.json declares " + spec, null);
            }
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void closeQuietly(OrtSession s) {
        if (s != null) {
            try {
                s.close();
            } catch (OrtException ignored) {
                // already failing
            }
        }
    }

    public ModelEntry entry() {
        return entry;
    }

    public OrtSession session() {
        return session;
    }

    public String provider() {
        return provider;
    }

    public boolean isClosed() {
        return closed;
    }

    @Override
    public void close() throws OrtException {
        closed = true;
        session.close();
    }
}
