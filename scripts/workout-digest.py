#!/usr/bin/env python3
"""The engine's workout digest (Engine.digest, Sources/PacelineCore/Adaptation/Rules.swift),
computed independently from a library workout row: FNV-1a 64 over every field, strings as UTF-8
plus a NUL, numbers as the little-endian bits of a float64 (-1 when absent), blocks depth-first,
then the heat adjustment (absent in the library: four -1/0 fields).

    python3 scripts/workout-digest.py DATABASE "Tempo run 20 min"
"""
import json
import sqlite3
import struct
import sys

OFFSET, PRIME, MASK = 0xCBF29CE484222325, 0x100000001B3, (1 << 64) - 1


class FNV:
    def __init__(self):
        self.hash = OFFSET

    def byte(self, b):
        self.hash = ((self.hash ^ b) * PRIME) & MASK

    def text(self, s):
        for b in s.encode("utf-8"):
            self.byte(b)
        self.byte(0)

    def number(self, x):
        for b in struct.pack("<d", -1.0 if x is None else float(x)):
            self.byte(b)

    def block(self, b):
        self.text(b["type"]); self.number(b["block_distance_in_meters"]); self.number(b["block_duration_in_seconds"])
        self.text(b["block_pace"]); self.text(b["block_length_target"]); self.text(b["block_intensity_target"])
        self.number(b["block_repeat"]); self.number(len(b["children"]))
        for child in b["children"]:
            self.block(child)


def digest(name, sport, subtype, distance, duration, notes, blocks_json):
    h = FNV()
    h.text(name); h.text(sport); h.text(subtype); h.number(distance); h.number(duration); h.text(notes)
    blocks = json.loads(blocks_json)["blocks"]
    h.number(len(blocks))
    for b in blocks:
        h.block(b)
    for _ in range(3):
        h.number(None)      # heat: temperature, dew point, fraction
    h.number(0)             # hard running not advised: no
    return format(h.hash, "x")


def from_database(path, name):
    row = sqlite3.connect(path).execute(
        "SELECT name, sport, subtype, target_distance_m, target_duration_s, notes, blocks_json FROM workout WHERE name = ? LIMIT 1",
        (name,)).fetchone()
    return digest(*row)


if __name__ == "__main__":
    print(from_database(sys.argv[1], sys.argv[2]))
