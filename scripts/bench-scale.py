#!/usr/bin/env python3
"""A database of many organizations for `make bench`, made fast: the demo organization of DB (made by
`paceline demo`) is copied COPIES times as organizations `{slug}2`, `{slug}3`, … — every row of every
tenant table, with its ids (and the ids it refers to, by its foreign keys) moved by a fixed offset per
copy, and its people's addresses and secrets made unique. Seeding 100 organizations through the demo
seeder takes an hour; this takes a minute or two. Usage: bench-scale.py DB SLUG COPIES"""
import sqlite3
import sys

OFFSET = 10_000_000  # ids of copy k are the original's + k × OFFSET (the demo's ids stay far below it)
# Columns that hold an id but are not declared foreign keys.
LOOSE_IDS = {("notification", "link_id")}
# Values that must stay unique across the database: made unique per copy.
UNIQUE_TEXT = {
    ("user", "email"),
    ("organization", "slug"),
    ("organization", "name"),
    ("athlete_profile", "calendar_token"),
    ("scheduled_workout", "uid"),
    ("mail_outbox", "dedupe"),
    ("mail_outbox", "unsubscribe_hash"),
}
SKIP = {"session", "login_attempt", "known_device", "password_reset", "api_token", "background_run"}


def main():
    path, slug, copies = sys.argv[1], sys.argv[2], int(sys.argv[3])
    db = sqlite3.connect(path)
    db.execute("PRAGMA foreign_keys = OFF")
    db.execute("PRAGMA synchronous = OFF")
    (org,) = db.execute("SELECT id FROM organization WHERE slug = ?", (slug,)).fetchone()
    users = [u for (u,) in db.execute("SELECT user_id FROM membership WHERE org_id = ?", (org,))]
    tables = [
        t
        for (t,) in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'grdb_%'"
        )
        if t not in SKIP
    ]
    plan = {}
    for table in tables:
        columns = [c[1] for c in db.execute(f"PRAGMA table_info('{table}')")]
        keyed = {fk[3] for fk in db.execute(f"PRAGMA foreign_key_list('{table}')")}
        keyed |= {c for (t, c) in LOOSE_IDS if t == table}
        if "id" in columns:
            keyed.add("id")
        plan[table] = (columns, keyed)
    for k in range(1, copies + 1):
        shift = k * OFFSET
        suffix = str(k + 1)
        for table in tables:
            columns, keyed = plan[table]
            if table == "organization":
                where, args = "id = ?", (org,)
            elif table == "user":
                where, args = f"id IN ({','.join('?' * len(users))})", tuple(users)
            elif "org_id" in columns:
                where, args = "org_id = ?", (org,)
            else:
                continue
            select = []
            for column in columns:
                if column == "org_id":
                    select.append(f"org_id + {shift}")
                elif column in keyed:
                    select.append(f"CASE WHEN {column} IS NULL THEN NULL ELSE {column} + {shift} END")
                elif (table, column) in UNIQUE_TEXT:
                    if table == "user" and column == "email":
                        select.append(f"replace(email, '@', '+{suffix}@')")
                    else:
                        select.append(f"CASE WHEN {column} IS NULL THEN NULL ELSE {column} || '-{suffix}' END")
                elif table == "organization" and column == "data_version":
                    select.append("0")
                else:
                    select.append(column)
            names = ", ".join(f'"{c}"' for c in columns)
            db.execute(
                f'INSERT INTO "{table}" ({names}) SELECT {", ".join(select)} FROM "{table}" WHERE {where}', args
            )
        # The copy's address is the slug and its number (bench2, bench3, …).
        db.execute("UPDATE organization SET slug = ? WHERE id = ?", (slug + suffix, org + shift))
        db.commit()
    (athletes,) = db.execute("SELECT COUNT(*) FROM athlete_profile").fetchone()
    (orgs,) = db.execute("SELECT COUNT(*) FROM organization").fetchone()
    print(f"scaled: {orgs} organizations, {athletes} athletes")


if __name__ == "__main__":
    main()
