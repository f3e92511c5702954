"""Writes FIT fixtures from gpxpy's real track cerknicko-jezero.gpx (Apache-2.0), following the
public FIT protocol: a 14-byte header with its CRC, file_id, records under a big-endian definition
with full timestamps and under a little-endian one with compressed-timestamp headers, a lap and a
session, and the file CRC. Garmin's decoder (garmin-fit-sdk) reads the first back in the tests; it
does not support compressed-timestamp headers, so the second is checked with fitdecode.
Run: python Tests/Fixtures/make_fit.py (deterministic; the outputs are committed)."""

import datetime
import os
import struct

import gpxpy
import gpxpy.geo

HERE = os.path.dirname(os.path.abspath(__file__))
EPOCH = datetime.datetime(1989, 12, 31, tzinfo=datetime.timezone.utc)
CRC_TABLE = [
    0x0000,
    0xCC01,
    0xD801,
    0x1400,
    0xF001,
    0x3C00,
    0x2800,
    0xE401,
    0xA001,
    0x6C00,
    0x7800,
    0xB401,
    0x5000,
    0x9C01,
    0x8801,
    0x4400,
]


def crc(data):
    value = 0
    for byte in data:
        tmp = CRC_TABLE[value & 0xF]
        value = (value >> 4) & 0x0FFF
        value = value ^ tmp ^ CRC_TABLE[byte & 0xF]
        tmp = CRC_TABLE[value & 0xF]
        value = (value >> 4) & 0x0FFF
        value = value ^ tmp ^ CRC_TABLE[(byte >> 4) & 0xF]
    return value


def definition(local, global_number, fields, big_endian=False):
    out = bytes([0x40 | local, 0, 1 if big_endian else 0]) + struct.pack(">H" if big_endian else "<H", global_number)
    out += bytes([len(fields)])
    for number, size, base in fields:
        out += bytes([number, size, base])
    return out


def fit_time(dt):
    return int((dt - EPOCH).total_seconds())


def semicircles(degrees):
    return int(round(degrees * (2**31) / 180))


def write(name, points, sport=1, compressed=False):
    body = b""
    body += definition(0, 0, [(0, 1, 0x00), (1, 2, 0x84), (4, 4, 0x86)])
    body += bytes([0]) + struct.pack("<BHI", 4, 1, fit_time(points[0].time))
    full = [(253, 4, 0x86), (0, 4, 0x85), (1, 4, 0x85), (2, 2, 0x84), (3, 1, 0x02), (4, 1, 0x02), (5, 4, 0x86)]
    body += definition(1, 20, full, big_endian=True)
    compact = [(0, 4, 0x85), (1, 4, 0x85), (2, 2, 0x84), (3, 1, 0x02), (4, 1, 0x02), (5, 4, 0x86)]
    body += definition(2, 20, compact)
    total, previous, last_full = 0.0, None, None
    hrs = []
    for i, p in enumerate(points):
        if previous is not None:
            total += gpxpy.geo.haversine_distance(previous.latitude, previous.longitude, p.latitude, p.longitude)
        previous = p
        hr = 130 + (i * 7) % 31
        hrs.append(hr)
        ts = fit_time(p.time)
        altitude = int(round(((p.elevation or 0) + 500) * 5))
        values = (semicircles(p.latitude), semicircles(p.longitude), altitude, hr, 80 + i % 7, int(round(total * 100)))
        if compressed and last_full is not None and 0 < ts - last_full < 31 and i % 3 != 0:
            # Compressed-timestamp header: local type 2, the low 5 bits of the time.
            body += bytes([0x80 | (2 << 5) | (ts & 0x1F)]) + struct.pack("<iiHBBI", *values)
        else:
            body += bytes([1]) + struct.pack(">Iii HBBI".replace(" ", ""), ts, *values)
            last_full = ts
    start, end = fit_time(points[0].time), fit_time(points[-1].time)
    elapsed = (end - start) * 1000
    lap = [(253, 4, 0x86), (2, 4, 0x86), (7, 4, 0x86), (8, 4, 0x86), (9, 4, 0x86)]
    body += (
        definition(3, 19, lap)
        + bytes([3])
        + struct.pack("<IIIII", end, start, elapsed, elapsed - 60000, int(round(total * 100)))
    )
    session = [
        (253, 4, 0x86),
        (2, 4, 0x86),
        (5, 1, 0x00),
        (7, 4, 0x86),
        (8, 4, 0x86),
        (9, 4, 0x86),
        (16, 1, 0x02),
        (17, 1, 0x02),
    ]
    body += (
        definition(4, 18, session)
        + bytes([4])
        + struct.pack(
            "<IIBIIIBB",
            end,
            start,
            sport,
            elapsed,
            elapsed - 60000,
            int(round(total * 100)),
            int(sum(hrs) / len(hrs)),
            max(hrs),
        )
    )
    header = struct.pack("<BBHI4s", 14, 0x20, 2132, len(body), b".FIT")
    header += struct.pack("<H", crc(header))
    data = header + body
    with open(os.path.join(HERE, "fit", name), "wb") as f:
        f.write(data + struct.pack("<H", crc(data)))


with open(os.path.join(HERE, "gpx", "cerknicko-jezero.gpx")) as f:
    track = gpxpy.parse(f)
points = [p for t in track.tracks for s in t.segments for p in s.points if p.time is not None]
write("cerknicko-run.fit", points)  # for garmin-fit-sdk (no compressed timestamps)
write("compressed-timestamps.fit", points[:150], compressed=True)  # for fitdecode
