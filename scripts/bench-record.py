#!/usr/bin/env python3
"""Writes the latest `make bench` output into docs/BENCHMARKS.md (between its markers), with the date
and the machine, so the figures in the docs are the last ones measured. Usage: bench-record.py OUTPUT"""
import datetime
import os
import platform
import re
import sys

START, END = "<!-- make bench: start -->", "<!-- make bench: end -->"


def machine():
    model = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
        with open("/proc/meminfo") as f:
            kib = int(re.search(r"MemTotal:\s+(\d+)", f.read()).group(1))
        memory = f"{kib / 1048576:.0f} GiB"
    except OSError:
        memory = "unknown memory"
    return f"{platform.system()} {platform.release()}, {os.cpu_count()} cores ({model}), {memory}"


def main():
    with open(sys.argv[1]) as f:
        output = f.read().strip()
    path = os.path.join(os.path.dirname(__file__), "..", "docs", "BENCHMARKS.md")
    with open(path) as f:
        doc = f.read()
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    section = (
        f"{START}\n## Latest `make bench`\n\n* **Date:** {now}\n* **Machine:** {machine()}\n"
        "* Goals beside each figure; a ratio is the page's requests per second over `/healthz`'s on the same "
        "server in the run just before it (the machine's load moves both).\n\n"
        f"```\n{output}\n```\n{END}"
    )
    if START in doc and END in doc:
        doc = doc[: doc.index(START)] + section + doc[doc.index(END) + len(END):]
    else:
        title_end = doc.index("\n") + 1
        doc = doc[:title_end] + "\n" + section + "\n" + doc[title_end:]
    with open(path, "w") as f:
        f.write(doc)
    print(f"bench: figures written to docs/BENCHMARKS.md ({now})")


if __name__ == "__main__":
    main()
