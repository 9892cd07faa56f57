package io.ganflow.train.tensorboard;

import java.util.Map;

/**
 * Encodes the few messages of TensorFlow's {@code event.proto} and {@code summary.proto} that ganflow
 * writes, by hand. Each method returns one serialized {@code Event}, ready for {@link TfRecord} framing.
 * Fields with their proto3 default (0, empty) are left out and members of a {@code oneof} are always
 * written, as protobuf's own serializers do, so the bytes are the canonical encoding.
 *
 * <pre>
 * message Event { double wall_time = 1; int64 step = 2;
 *                 oneof what { string file_version = 3; Summary summary = 5; SessionLog session_log = 7; } }
 * message SessionLog { SessionStatus status = 1; }                        // START = 1
 * message Summary { repeated Value value = 1;
 *   message Value { string tag = 1;
 *                   oneof value { float simple_value = 2; Image image = 4; HistogramProto histo = 5; } }
 *   message Image { int32 height = 1; int32 width = 2; int32 colorspace = 3; bytes encoded_image_string = 4; } }
 * message HistogramProto { double min = 1; double max = 2; double num = 3; double sum = 4;
 *   double sum_squares = 5; repeated double bucket_limit = 6 [packed]; repeated double bucket = 7 [packed]; }
 * </pre>
 */
public final class Events {
    /** The version string of the first record of every event file. */
    public static final String FILE_VERSION = "brain.Event:2";

    // Event
    private static final int EVENT_WALL_TIME = 1;
    private static final int EVENT_STEP = 2;
    private static final int EVENT_FILE_VERSION = 3;
    private static final int EVENT_SUMMARY = 5;
    private static final int EVENT_SESSION_LOG = 7;
    // SessionLog
    private static final int SESSION_LOG_STATUS = 1;
    private static final int SESSION_START = 1;
    // Summary and Summary.Value
    private static final int SUMMARY_VALUE = 1;
    private static final int VALUE_TAG = 1;
    private static final int VALUE_SIMPLE = 2;
    private static final int VALUE_IMAGE = 4;
    private static final int VALUE_HISTO = 5;
    // Summary.Image
    private static final int IMAGE_HEIGHT = 1;
    private static final int IMAGE_WIDTH = 2;
    private static final int IMAGE_COLORSPACE = 3;
    private static final int IMAGE_ENCODED = 4;
    // HistogramProto
    private static final int HISTO_MIN = 1;
    private static final int HISTO_MAX = 2;
    private static final int HISTO_NUM = 3;
    private static final int HISTO_SUM = 4;
    private static final int HISTO_SUM_SQUARES = 5;
    private static final int HISTO_BUCKET_LIMIT = 6;
    private static final int HISTO_BUCKET = 7;

    private Events() {}

    /** The first event of a file: {@code file_version = "brain.Event:2"}. */
    public static byte[] fileVersion(double wallTime) {
        return header(wallTime, 0).string(EVENT_FILE_VERSION, FILE_VERSION).toByteArray();
    }

    /**
     * {@code session_log { status: START }} at {@code step}: TensorBoard then drops every event it read
     * before with a step at or above {@code step}, the orphans of a run that continues from a checkpoint.
     */
    public static byte[] sessionStart(double wallTime, long step) {
        Proto log = new Proto().varint(SESSION_LOG_STATUS, SESSION_START);
        return header(wallTime, step).message(EVENT_SESSION_LOG, log).toByteArray();
    }

    /** One summary holding a {@code simple_value} per entry, in iteration order; values become float32. */
    public static byte[] scalars(double wallTime, long step, Map<String, Double> byTag) {
        Proto summary = new Proto();
        for (Map.Entry<String, Double> e : byTag.entrySet()) {
            Proto v = tag(e.getKey()).floatField(VALUE_SIMPLE, e.getValue().floatValue());
            summary.message(SUMMARY_VALUE, v);
        }
        return header(wallTime, step).message(EVENT_SUMMARY, summary).toByteArray();
    }

    /** One image summary; width, height and colour space are read from the PNG's header. */
    public static byte[] image(double wallTime, long step, String tag, byte[] png) {
        Png.Header h = Png.header(png);
        Proto img = new Proto();
        nonZero(img, IMAGE_HEIGHT, h.height());
        nonZero(img, IMAGE_WIDTH, h.width());
        nonZero(img, IMAGE_COLORSPACE, h.colorspace());
        if (png.length > 0) {
            img.bytes(IMAGE_ENCODED, png);
        }
        Proto summary = new Proto().message(SUMMARY_VALUE, tag(tag).message(VALUE_IMAGE, img));
        return header(wallTime, step).message(EVENT_SUMMARY, summary).toByteArray();
    }

    /** One histogram summary. */
    public static byte[] histogram(double wallTime, long step, String tag, Histogram h) {
        Proto histo = new Proto();
        nonZero(histo, HISTO_MIN, h.min());
        nonZero(histo, HISTO_MAX, h.max());
        nonZero(histo, HISTO_NUM, h.num());
        nonZero(histo, HISTO_SUM, h.sum());
        nonZero(histo, HISTO_SUM_SQUARES, h.sumSquares());
        if (h.bucketLimit().length > 0) {
            histo.packedDoubles(HISTO_BUCKET_LIMIT, h.bucketLimit());
        }
        if (h.bucket().length > 0) {
            histo.packedDoubles(HISTO_BUCKET, h.bucket());
        }
        Proto summary = new Proto().message(SUMMARY_VALUE, tag(tag).message(VALUE_HISTO, histo));
        return header(wallTime, step).message(EVENT_SUMMARY, summary).toByteArray();
    }

    private static Proto header(double wallTime, long step) {
        Proto e = new Proto();
        nonZero(e, EVENT_WALL_TIME, wallTime);
        if (step != 0) {
            e.varint(EVENT_STEP, step);
        }
        return e;
    }

    private static Proto tag(String tag) {
        Proto v = new Proto();
        if (!tag.isEmpty()) {
            v.string(VALUE_TAG, tag);
        }
        return v;
    }

    private static void nonZero(Proto p, int field, double v) {
        if (Double.doubleToRawLongBits(v) != 0) {
            p.doubleField(field, v);
        }
    }

    private static void nonZero(Proto p, int field, int v) {
        if (v != 0) {
            p.varint(field, v);
        }
    }
}
