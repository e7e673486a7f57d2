package com.shopsense.serial;

import java.io.IOException;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/**
 * The field encodings the hand-written serializers share. Strings use Flink's {@link StringValue} encoding
 * (length + 1 as a varint, 0 for null: one byte for a null or empty string). Arrays are a varint length + 1
 * (0 for null) and their elements.
 */
public final class Wire {
    private Wire() {
    }

    public static void writeString(String s, DataOutputView out) throws IOException {
        StringValue.writeString(s, out);
    }

    public static String readString(DataInputView in) throws IOException {
        return StringValue.readString(in);
    }

    /** A non-negative int in 1-5 bytes (7 bits a byte): lengths and counts are small. */
    public static void writeVarInt(int v, DataOutputView out) throws IOException {
        while ((v & ~0x7F) != 0) {
            out.writeByte((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        out.writeByte(v);
    }

    public static int readVarInt(DataInputView in) throws IOException {
        int v = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            int b = in.readUnsignedByte();
            v |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return v;
            }
        }
        throw new IOException("malformed varint");
    }

    private static void writeLength(Object array, int length, DataOutputView out) throws IOException {
        writeVarInt(array == null ? 0 : length + 1, out);
    }

    /** The array's length, or -1 for null. */
    private static int readLength(DataInputView in) throws IOException {
        return readVarInt(in) - 1;
    }

    public static void writeStrings(String[] a, DataOutputView out) throws IOException {
        writeLength(a, a == null ? 0 : a.length, out);
        if (a != null) {
            for (String s : a) {
                StringValue.writeString(s, out);
            }
        }
    }

    public static String[] readStrings(DataInputView in) throws IOException {
        int n = readLength(in);
        if (n < 0) {
            return null;
        }
        String[] a = new String[n];
        for (int i = 0; i < n; i++) {
            a[i] = StringValue.readString(in);
        }
        return a;
    }

    public static void writeLongs(long[] a, DataOutputView out) throws IOException {
        writeLength(a, a == null ? 0 : a.length, out);
        if (a != null) {
            for (long v : a) {
                out.writeLong(v);
            }
        }
    }

    public static long[] readLongs(DataInputView in) throws IOException {
        int n = readLength(in);
        if (n < 0) {
            return null;
        }
        long[] a = new long[n];
        for (int i = 0; i < n; i++) {
            a[i] = in.readLong();
        }
        return a;
    }

    public static void writeInts(int[] a, DataOutputView out) throws IOException {
        writeLength(a, a == null ? 0 : a.length, out);
        if (a != null) {
            for (int v : a) {
                out.writeInt(v);
            }
        }
    }

    public static int[] readInts(DataInputView in) throws IOException {
        int n = readLength(in);
        if (n < 0) {
            return null;
        }
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = in.readInt();
        }
        return a;
    }

    public static void writeDoubles(double[] a, DataOutputView out) throws IOException {
        writeLength(a, a == null ? 0 : a.length, out);
        if (a != null) {
            for (double v : a) {
                out.writeDouble(v);
            }
        }
    }

    public static double[] readDoubles(DataInputView in) throws IOException {
        int n = readLength(in);
        if (n < 0) {
            return null;
        }
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = in.readDouble();
        }
        return a;
    }

    public static void writeFloats(float[] a, DataOutputView out) throws IOException {
        writeLength(a, a == null ? 0 : a.length, out);
        if (a != null) {
            for (float v : a) {
                out.writeFloat(v);
            }
        }
    }

    public static float[] readFloats(DataInputView in) throws IOException {
        int n = readLength(in);
        if (n < 0) {
            return null;
        }
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = in.readFloat();
        }
        return a;
    }
}
