#!/usr/bin/env python3
"""Checks ganflow's TensorBoard event files without TensorBoard.

    python3 tools/tensorboard_check.py runs/<run>            every events.out.tfevents.* of a run directory
    python3 tools/tensorboard_check.py path/to/events.out.tfevents.x
    python3 tools/tensorboard_check.py --dump out.jsonl PATH  also write each decoded event as one JSON line

It reads every TFRecord and checks both masked CRC-32C checksums (computed here, table-driven), decodes each
record with the protobuf runtime against message definitions built at run time from TensorFlow's
event.proto / summary.proto field numbers, checks that the bytes are the canonical encoding with no unknown
field, that every file starts with file_version "brain.Event:2", that images are PNGs of the size they
claim and histograms add up. It then replays the files as TensorBoard does (files in name order; a
session_log START at step s drops what was read before with a step >= s) and checks that no tag holds a
step twice. When the directory holds metrics.jsonl, every train record must appear as train/<key> scalars
and every eval record as eval/<key> scalars at the same step with the same float32 value, and nothing else.

Prints a summary; exits 1 on any mismatch, 2 on bad usage. Needs the protobuf Python package and numpy
(Debian: python3-protobuf, python3-numpy).
"""
import argparse
import hashlib
import json
import math
import os
import struct
import sys

import numpy as np
from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

# ---- CRC-32C (Castagnoli), reflected polynomial 0x82F63B78 ----------------------------------------------

def _crc_table():
    table = []
    for n in range(256):
        c = n
        for _ in range(8):
            c = (c >> 1) ^ 0x82F63B78 if c & 1 else c >> 1
        table.append(c)
    return table


_TABLE = _crc_table()


def crc32c(data):
    crc = 0xFFFFFFFF
    for b in data:
        crc = _TABLE[(crc ^ b) & 0xFF] ^ (crc >> 8)
    return crc ^ 0xFFFFFFFF


def masked(crc):
    return ((((crc >> 15) | (crc << 17)) & 0xFFFFFFFF) + 0xA282EAD8) & 0xFFFFFFFF


# ---- message definitions --------------------------------------------------------------------------------

F = descriptor_pb2.FieldDescriptorProto


def _field(msg, name, number, ftype, type_name=None, repeated=False, oneof=None):
    f = msg.field.add(name=name, number=number, type=ftype,
                      label=F.LABEL_REPEATED if repeated else F.LABEL_OPTIONAL)
    if type_name:
        f.type_name = type_name
    if oneof is not None:
        f.oneof_index = oneof
    return f


def _classes():
    fdp = descriptor_pb2.FileDescriptorProto(name="ganflow_tensorboard_check.proto", package="tbcheck",
                                             syntax="proto3")
    h = fdp.message_type.add(name="HistogramProto")
    for i, n in enumerate(["min", "max", "num", "sum", "sum_squares"], start=1):
        _field(h, n, i, F.TYPE_DOUBLE)
    _field(h, "bucket_limit", 6, F.TYPE_DOUBLE, repeated=True)
    _field(h, "bucket", 7, F.TYPE_DOUBLE, repeated=True)

    s = fdp.message_type.add(name="Summary")
    img = s.nested_type.add(name="Image")
    _field(img, "height", 1, F.TYPE_INT32)
    _field(img, "width", 2, F.TYPE_INT32)
    _field(img, "colorspace", 3, F.TYPE_INT32)
    _field(img, "encoded_image_string", 4, F.TYPE_BYTES)
    v = s.nested_type.add(name="Value")
    v.oneof_decl.add(name="value")
    _field(v, "tag", 1, F.TYPE_STRING)
    _field(v, "simple_value", 2, F.TYPE_FLOAT, oneof=0)
    _field(v, "image", 4, F.TYPE_MESSAGE, ".tbcheck.Summary.Image", oneof=0)
    _field(v, "histo", 5, F.TYPE_MESSAGE, ".tbcheck.HistogramProto", oneof=0)
    _field(s, "value", 1, F.TYPE_MESSAGE, ".tbcheck.Summary.Value", repeated=True)

    sl = fdp.message_type.add(name="SessionLog")
    st = sl.enum_type.add(name="SessionStatus")
    for name, number in [("STATUS_UNSPECIFIED", 0), ("START", 1), ("STOP", 2), ("CHECKPOINT", 3)]:
        st.value.add(name=name, number=number)
    _field(sl, "status", 1, F.TYPE_ENUM, ".tbcheck.SessionLog.SessionStatus")
    _field(sl, "checkpoint_path", 2, F.TYPE_STRING)
    _field(sl, "msg", 3, F.TYPE_STRING)

    e = fdp.message_type.add(name="Event")
    e.oneof_decl.add(name="what")
    _field(e, "wall_time", 1, F.TYPE_DOUBLE)
    _field(e, "step", 2, F.TYPE_INT64)
    _field(e, "file_version", 3, F.TYPE_STRING, oneof=0)
    _field(e, "summary", 5, F.TYPE_MESSAGE, ".tbcheck.Summary", oneof=0)
    _field(e, "session_log", 7, F.TYPE_MESSAGE, ".tbcheck.SessionLog", oneof=0)

    pool = descriptor_pool.DescriptorPool()
    pool.Add(fdp)
    desc = pool.FindMessageTypeByName("tbcheck.Event")
    if hasattr(message_factory, "GetMessageClass"):
        return message_factory.GetMessageClass(desc)
    return message_factory.MessageFactory(pool).GetPrototype(desc)


Event = _classes()
START = 1

# ---- reading --------------------------------------------------------------------------------------------


class Problems:
    def __init__(self):
        self.items = []

    def add(self, msg):
        self.items.append(msg)


def records(path, problems):
    """Yields (index, payload) of every record whose checksums hold."""
    with open(path, "rb") as f:
        data = f.read()
    pos = 0
    index = 0
    while pos < len(data):
        if len(data) - pos < 12:
            problems.add(f"{path}: {len(data) - pos} stray bytes after record {index}")
            return
        header = data[pos:pos + 8]
        (length,) = struct.unpack("<Q", header)
        (length_crc,) = struct.unpack("<I", data[pos + 8:pos + 12])
        if masked(crc32c(header)) != length_crc:
            problems.add(f"{path}: record {index}: length checksum {length_crc:#010x} != "
                         f"{masked(crc32c(header)):#010x}")
            return
        if len(data) - pos < 16 + length:
            problems.add(f"{path}: record {index} is truncated")
            return
        payload = data[pos + 12:pos + 12 + length]
        (data_crc,) = struct.unpack("<I", data[pos + 12 + length:pos + 16 + length])
        if masked(crc32c(payload)) != data_crc:
            problems.add(f"{path}: record {index}: data checksum {data_crc:#010x} != {masked(crc32c(payload)):#010x}")
        else:
            yield index, payload
        pos += 16 + length
        index += 1


def decode(path, index, payload, problems):
    ev = Event()
    ev.ParseFromString(payload)
    bare = Event()
    bare.CopyFrom(ev)
    bare.DiscardUnknownFields()
    if bare.SerializeToString() != payload:
        problems.add(f"{path}: record {index}: not the canonical encoding, or unknown fields")
    return ev


def png_size(data):
    if data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        return None
    return struct.unpack(">II", data[16:24])


def f32(x):
    return float(np.float32(x))


def same(a, b):
    return (math.isnan(a) and math.isnan(b)) or a == b


def jnum(x):
    """A float as JSON: a number when finite, else the string metrics.jsonl uses."""
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    return x


def number(v):
    if isinstance(v, str):
        return float(v)  # "NaN", "Infinity", "-Infinity"
    return float(v)


def check(path, dump=None, out=sys.stdout):
    problems = Problems()
    if os.path.isdir(path):
        run_dir = path
        files = sorted(os.path.join(path, n) for n in os.listdir(path) if n.startswith("events.out.tfevents."))
        if not files:
            problems.add(f"{path}: no events.out.tfevents.* file")
    else:
        run_dir = os.path.dirname(path) or "."
        files = [path]

    scalars, images, histos = {}, {}, {}
    stores = (scalars, images, histos)
    n_records = 0
    starts = []
    purged = 0
    for file in files:
        first = True
        for index, payload in records(file, problems):
            n_records += 1
            ev = decode(file, index, payload, problems)
            what = ev.WhichOneof("what")
            if first and (what != "file_version" or ev.file_version != "brain.Event:2"):
                problems.add(f"{file}: the first record is not file_version brain.Event:2")
            first = False
            if dump is not None:
                print(json.dumps(dump_event(os.path.basename(file), ev)), file=dump)
            if what == "session_log" and ev.session_log.status == START:
                starts.append((os.path.basename(file), ev.step))
                for store in stores:
                    for tag in store:
                        keep = [x for x in store[tag] if x[0] < ev.step]
                        purged += len(store[tag]) - len(keep)
                        store[tag] = keep
            elif what == "summary":
                for v in ev.summary.value:
                    kind = v.WhichOneof("value")
                    if kind == "simple_value":
                        scalars.setdefault(v.tag, []).append((ev.step, v.simple_value))
                    elif kind == "image":
                        size = png_size(v.image.encoded_image_string)
                        if size != (v.image.width, v.image.height):
                            problems.add(f"{file}: image {v.tag} at step {ev.step}: PNG size {size} but "
                                         f"width {v.image.width}, height {v.image.height}")
                        images.setdefault(v.tag, []).append((ev.step, v.image.width, v.image.height,
                                                             len(v.image.encoded_image_string)))
                    elif kind == "histo":
                        check_histogram(file, v.tag, ev.step, v.histo, problems)
                        histos.setdefault(v.tag, []).append((ev.step, v.histo.num))
                    else:
                        problems.add(f"{file}: value {v.tag!r} at step {ev.step} holds nothing")
            elif what != "file_version":
                problems.add(f"{file}: record {index} holds {what}")

    for store in stores:
        for tag, items in store.items():
            steps = [x[0] for x in items]
            if any(b <= a for a, b in zip(steps, steps[1:])):
                problems.add(f"{tag}: steps not strictly increasing after restarts: {steps}")

    metrics = os.path.join(run_dir, "metrics.jsonl")
    compared = None
    if os.path.exists(metrics):
        compared = compare(metrics, scalars, problems)
    elif os.path.isdir(path):
        problems.add(f"{path}: no metrics.jsonl to compare with")

    print(f"files: {len(files)}, records: {n_records}", file=out)
    for file in files:
        print(f"  {os.path.basename(file)}", file=out)
    if starts:
        print(f"session_log START: {', '.join(f'step {s} in {f}' for f, s in starts)}; {purged} earlier events "
              f"dropped", file=out)
    print(f"scalars: {sum(len(x) for x in scalars.values())} in {len(scalars)} tags", file=out)
    for tag in sorted(scalars):
        steps = [x[0] for x in scalars[tag]]
        print(f"  {tag:32s} {len(steps):5d}  steps {steps[0]}..{steps[-1]}", file=out)
    print(f"images: {sum(len(x) for x in images.values())}", file=out)
    for tag in sorted(images):
        for step, w, h, n in images[tag]:
            print(f"  {tag} step {step}: {w}x{h} PNG, {n} bytes", file=out)
    print(f"histograms: {sum(len(x) for x in histos.values())} in {len(histos)} tags", file=out)
    for tag in sorted(histos):
        print(f"  {tag:32s} {len(histos[tag]):5d}  steps {histos[tag][0][0]}..{histos[tag][-1][0]}, "
              f"{histos[tag][0][1]:.0f} values", file=out)
    if compared is not None:
        print(f"metrics.jsonl: {compared} values compared with the scalars", file=out)
    else:
        print("metrics.jsonl: none beside the file; scalars not compared", file=out)
    if problems.items:
        print(f"FAILED: {len(problems.items)} problem(s)", file=out)
        for p in problems.items[:50]:
            print(f"  {p}", file=out)
        return 1
    print("OK", file=out)
    return 0


def check_histogram(file, tag, step, h, problems):
    where = f"{file}: histogram {tag} at step {step}"
    if len(h.bucket) != len(h.bucket_limit) or not h.bucket:
        problems.add(f"{where}: {len(h.bucket)} buckets, {len(h.bucket_limit)} limits")
        return
    if sum(h.bucket) != h.num:
        problems.add(f"{where}: bucket counts add to {sum(h.bucket)}, num is {h.num}")
    limits = list(h.bucket_limit)
    if any(b < a for a, b in zip(limits, limits[1:])) or limits[0] < h.min or limits[-1] != h.max:
        problems.add(f"{where}: bucket limits out of order or outside [min, max]")


def compare(metrics, scalars, problems):
    expected = {}
    with open(metrics, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            rec = json.loads(line)
            kind, step = rec["kind"], rec["step"]
            for k, v in rec.items():
                if k in ("kind", "step") or v is None:
                    continue
                expected[(f"{kind}/{k}", step)] = f32(number(v))
    actual = {}
    for tag, items in scalars.items():
        for step, value in items:
            actual[(tag, step)] = value
    for key, want in expected.items():
        if key not in actual:
            problems.add(f"{key[0]} at step {key[1]}: in metrics.jsonl, not in the event files")
        elif not same(want, actual[key]):
            problems.add(f"{key[0]} at step {key[1]}: metrics.jsonl {want!r} (float32), events {actual[key]!r}")
    for key in actual:
        if key not in expected:
            problems.add(f"{key[0]} at step {key[1]}: in the event files, not in metrics.jsonl")
    return len(expected)


def dump_event(file, ev):
    d = {"file": file, "wall_time": ev.wall_time, "step": ev.step}
    what = ev.WhichOneof("what")
    if what == "file_version":
        d["file_version"] = ev.file_version
    elif what == "session_log":
        d["session_log"] = {"status": ev.session_log.status}
    elif what == "summary":
        values = []
        for v in ev.summary.value:
            kind = v.WhichOneof("value")
            if kind == "simple_value":
                values.append({"tag": v.tag, "simple_value": jnum(v.simple_value)})
            elif kind == "image":
                im = v.image
                values.append({"tag": v.tag, "image": {"width": im.width, "height": im.height,
                                                        "colorspace": im.colorspace,
                                                        "sha256": hashlib.sha256(im.encoded_image_string).hexdigest()}})
            elif kind == "histo":
                h = v.histo
                values.append({"tag": v.tag, "histo": {"min": jnum(h.min), "max": jnum(h.max), "num": h.num,
                                                        "sum": jnum(h.sum), "sum_squares": jnum(h.sum_squares),
                                                        "bucket_limit": [jnum(x) for x in h.bucket_limit],
                                                        "bucket": list(h.bucket)}})
        d["summary"] = values
    return d


def main(argv=None):
    ap = argparse.ArgumentParser(description="Check ganflow's TensorBoard event files without TensorBoard.")
    ap.add_argument("path", help="a run directory, or one events.out.tfevents.* file")
    ap.add_argument("--dump", metavar="OUT", help="write every decoded event as a JSON line to OUT (- for stdout)")
    args = ap.parse_args(argv)
    if not os.path.exists(args.path):
        print(f"{args.path}: no such file or directory", file=sys.stderr)
        return 2
    if args.dump is None:
        return check(args.path)
    if args.dump == "-":
        return check(args.path, dump=sys.stdout)
    with open(args.dump, "w", encoding="utf-8") as dump:
        return check(args.path, dump=dump)


if __name__ == "__main__":
    sys.exit(main())
