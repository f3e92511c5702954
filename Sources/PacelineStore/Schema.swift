import GRDB

extension AppDatabase {
    /// Append-only: a migration that has landed is never edited; later changes add new ones.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-accounts-organizations") { db in
            try db.execute(
                sql: """
                    CREATE TABLE organization (
                        id INTEGER PRIMARY KEY,
                        slug TEXT NOT NULL UNIQUE CHECK (length(slug) BETWEEN 2 AND 40),
                        name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
                        units TEXT NOT NULL DEFAULT 'km' CHECK (units IN ('km', 'mi')),
                        time_zone TEXT NOT NULL DEFAULT 'UTC',
                        created_at DATETIME NOT NULL
                    );
                    CREATE TABLE user (
                        id INTEGER PRIMARY KEY,
                        email TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(email) BETWEEN 3 AND 254),
                        name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
                        password_hash TEXT NOT NULL,
                        created_at DATETIME NOT NULL
                    );
                    CREATE TABLE membership (
                        id INTEGER PRIMARY KEY,
                        org_id INTEGER NOT NULL REFERENCES organization(id) ON DELETE CASCADE,
                        user_id INTEGER NOT NULL REFERENCES user(id) ON DELETE CASCADE,
                        role TEXT NOT NULL CHECK (role IN ('admin', 'coach', 'athlete')),
                        created_at DATETIME NOT NULL,
                        UNIQUE (org_id, user_id)
                    );
                    CREATE INDEX membership_user ON membership(user_id);
                    CREATE TABLE invitation (
                        id INTEGER PRIMARY KEY,
                        org_id INTEGER NOT NULL REFERENCES organization(id) ON DELETE CASCADE,
                        email TEXT NOT NULL COLLATE NOCASE,
                        role TEXT NOT NULL CHECK (role IN ('admin', 'coach', 'athlete')),
                        token_hash TEXT NOT NULL UNIQUE,
                        invited_by INTEGER REFERENCES user(id) ON DELETE SET NULL,
                        created_at DATETIME NOT NULL,
                        expires_at DATETIME NOT NULL,
                        accepted_at DATETIME,
                        revoked_at DATETIME
                    );
                    CREATE INDEX invitation_org ON invitation(org_id);
                    CREATE TABLE session (
                        id INTEGER PRIMARY KEY,
                        token_hash TEXT NOT NULL UNIQUE,
                        user_id INTEGER NOT NULL REFERENCES user(id) ON DELETE CASCADE,
                        csrf_token TEXT NOT NULL,
                        created_at DATETIME NOT NULL,
                        expires_at DATETIME NOT NULL
                    );
                    CREATE INDEX session_user ON session(user_id);
                    CREATE TABLE login_attempt (
                        id INTEGER PRIMARY KEY,
                        email TEXT NOT NULL COLLATE NOCASE,
                        address TEXT NOT NULL,
                        succeeded BOOLEAN NOT NULL,
                        attempted_at DATETIME NOT NULL
                    );
                    CREATE INDEX login_attempt_email ON login_attempt(email, attempted_at);
                    CREATE INDEX login_attempt_address ON login_attempt(address, attempted_at);
                    CREATE TABLE athlete_profile (
                        id INTEGER PRIMARY KEY,
                        org_id INTEGER NOT NULL REFERENCES organization(id) ON DELETE CASCADE,
                        user_id INTEGER NOT NULL REFERENCES user(id) ON DELETE CASCADE,
                        phone TEXT NOT NULL DEFAULT '' CHECK (length(phone) <= 40),
                        notes TEXT NOT NULL DEFAULT '' CHECK (length(notes) <= 5000),
                        units TEXT CHECK (units IS NULL OR units IN ('km', 'mi')),
                        time_zone TEXT,
                        max_hr INTEGER CHECK (max_hr IS NULL OR max_hr BETWEEN 100 AND 240),
                        resting_hr INTEGER CHECK (resting_hr IS NULL OR resting_hr BETWEEN 25 AND 120),
                        vdot REAL CHECK (vdot IS NULL OR vdot BETWEEN 15 AND 90),
                        vdot_source TEXT,
                        vdot_date TEXT,
                        created_at DATETIME NOT NULL,
                        UNIQUE (org_id, user_id)
                    );
                    CREATE TABLE athlete_group (
                        id INTEGER PRIMARY KEY,
                        org_id INTEGER NOT NULL REFERENCES organization(id) ON DELETE CASCADE,
                        name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
                        created_at DATETIME NOT NULL
                    );
                    CREATE UNIQUE INDEX athlete_group_name ON athlete_group(org_id, name COLLATE NOCASE);
                    CREATE TABLE group_member (
                        org_id INTEGER NOT NULL REFERENCES organization(id) ON DELETE CASCADE,
                        group_id INTEGER NOT NULL REFERENCES athlete_group(id) ON DELETE CASCADE,
                        athlete_id INTEGER NOT NULL REFERENCES athlete_profile(id) ON DELETE CASCADE,
                        added_at DATETIME NOT NULL,
                        PRIMARY KEY (group_id, athlete_id)
                    );
                    CREATE INDEX group_member_athlete ON group_member(athlete_id);
                    CREATE TABLE audit_log (
                        id INTEGER PRIMARY KEY,
                        org_id INTEGER REFERENCES organization(id) ON DELETE CASCADE,
                        user_id INTEGER REFERENCES user(id) ON DELETE SET NULL,
                        action TEXT NOT NULL,
                        detail TEXT NOT NULL DEFAULT '',
                        at DATETIME NOT NULL
                    );
                    CREATE INDEX audit_log_org ON audit_log(org_id, at);
                    """)
        }
        migrator.registerMigration("v2-workout-library") { db in
            try db.execute(
                sql: """
                    CREATE TABLE workout (
                        id INTEGER PRIMARY KEY,
                        org_id INTEGER NOT NULL REFERENCES organization(id) ON DELETE CASCADE,
                        name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
                        sport TEXT NOT NULL CHECK (sport IN ('run', 'bike', 'swim', 'strength', 'walk', 'hike')),
                        subtype TEXT NOT NULL,
                        target_distance_m REAL CHECK (target_distance_m IS NULL OR target_distance_m > 0),
                        target_duration_s REAL CHECK (target_duration_s IS NULL OR target_duration_s > 0),
                        notes TEXT NOT NULL DEFAULT '' CHECK (length(notes) <= 20000),
                        blocks_json TEXT NOT NULL,
                        version INTEGER NOT NULL DEFAULT 1,
                        created_by INTEGER REFERENCES user(id) ON DELETE SET NULL,
                        created_at DATETIME NOT NULL,
                        updated_at DATETIME NOT NULL
                    );
                    CREATE INDEX workout_org ON workout(org_id, sport, subtype);
                    """)
        }
        migrator.registerMigration("v3-plan-templates") { db in
            try db.execute(
                sql: """
                    CREATE TABLE plan_template (
                        id INTEGER PRIMARY KEY,
                        org_id INTEGER NOT NULL REFERENCES organization(id) ON DELETE CASCADE,
                        name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
                        description TEXT NOT NULL DEFAULT '' CHECK (length(description) <= 20000),
                        plan_type TEXT NOT NULL CHECK (plan_type IN ('run', 'bike', 'swim', 'strength', 'custom')),
                        level TEXT NOT NULL CHECK (level IN ('basic', 'intermediate', 'advanced')),
                        goal_distance_m REAL CHECK (goal_distance_m IS NULL OR goal_distance_m > 0),
                        goal_date TEXT,
                        day_pattern TEXT NOT NULL,
                        reference_vdot REAL,
                        source TEXT NOT NULL CHECK (source IN ('manual', 'generated')),
                        version INTEGER NOT NULL DEFAULT 1,
                        created_by INTEGER REFERENCES user(id) ON DELETE SET NULL,
                        created_at DATETIME NOT NULL,
                        updated_at DATETIME NOT NULL
                    );
                    CREATE INDEX plan_template_org ON plan_template(org_id);
                    CREATE TABLE plan_week (
                        org_id INTEGER NOT NULL REFERENCES organization(id) ON DELETE CASCADE,
                        template_id INTEGER NOT NULL REFERENCES plan_template(id) ON DELETE CASCADE,
                        week INTEGER NOT NULL CHECK (week >= 0),
                        phase TEXT CHECK (phase IS NULL OR phase IN ('base', 'build', 'peak', 'taper')),
                        is_recovery BOOLEAN NOT NULL DEFAULT 0,
                        PRIMARY KEY (template_id, week)
                    );
                    CREATE TABLE plan_day (
                        org_id INTEGER NOT NULL REFERENCES organization(id) ON DELETE CASCADE,
                        template_id INTEGER NOT NULL REFERENCES plan_template(id) ON DELETE CASCADE,
                        week INTEGER NOT NULL CHECK (week >= 0),
                        weekday INTEGER NOT NULL CHECK (weekday BETWEEN 0 AND 6),
                        workout_json TEXT NOT NULL,
                        PRIMARY KEY (template_id, week, weekday)
                    );
                    """)
        }
        migrator.registerMigration("v4-plan-instances") { db in
            try db.execute(
                sql: """
                    CREATE TABLE plan_assignment (
                        id INTEGER PRIMARY KEY,
                        org_id INTEGER NOT NULL REFERENCES organization(id) ON DELETE CASCADE,
                        template_id INTEGER REFERENCES plan_template(id) ON DELETE SET NULL,
                        group_id INTEGER REFERENCES athlete_group(id) ON DELETE SET NULL,
                        name TEXT NOT NULL,
                        placement TEXT NOT NULL CHECK (placement IN ('start', 'race')),
                        placement_date TEXT NOT NULL,
                        created_by INTEGER REFERENCES user(id) ON DELETE SET NULL,
                        created_at DATETIME NOT NULL
                    );
                    CREATE INDEX plan_assignment_group ON plan_assignment(org_id, group_id);
                    CREATE TABLE plan_instance (
                        id INTEGER PRIMARY KEY,
                        org_id INTEGER NOT NULL REFERENCES organization(id) ON DELETE CASCADE,
                        assignment_id INTEGER REFERENCES plan_assignment(id) ON DELETE SET NULL,
                        athlete_id INTEGER NOT NULL REFERENCES athlete_profile(id) ON DELETE CASCADE,
                        name TEXT NOT NULL,
                        status TEXT NOT NULL CHECK (status IN ('active', 'paused', 'completed', 'cancelled')),
                        paused_since TEXT,
                        version INTEGER NOT NULL DEFAULT 1,
                        created_at DATETIME NOT NULL
                    );
                    CREATE INDEX plan_instance_athlete ON plan_instance(org_id, athlete_id, status);
                    CREATE INDEX plan_instance_assignment ON plan_instance(assignment_id);
                    CREATE TABLE scheduled_workout (
                        id INTEGER PRIMARY KEY,
                        org_id INTEGER NOT NULL REFERENCES organization(id) ON DELETE CASCADE,
                        instance_id INTEGER NOT NULL REFERENCES plan_instance(id) ON DELETE CASCADE,
                        date TEXT NOT NULL,
                        workout_json TEXT NOT NULL,
                        completed_at DATETIME,
                        uid TEXT NOT NULL UNIQUE,
                        sequence INTEGER NOT NULL DEFAULT 0,
                        updated_at DATETIME NOT NULL
                    );
                    CREATE INDEX scheduled_workout_instance ON scheduled_workout(instance_id, date);
                    CREATE TABLE instance_event (
                        id INTEGER PRIMARY KEY,
                        org_id INTEGER NOT NULL REFERENCES organization(id) ON DELETE CASCADE,
                        instance_id INTEGER NOT NULL REFERENCES plan_instance(id) ON DELETE CASCADE,
                        at DATETIME NOT NULL,
                        user_id INTEGER REFERENCES user(id) ON DELETE SET NULL,
                        action TEXT NOT NULL,
                        detail TEXT NOT NULL DEFAULT ''
                    );
                    CREATE INDEX instance_event_instance ON instance_event(instance_id, at);
                    ALTER TABLE athlete_profile ADD COLUMN calendar_token TEXT;
                    CREATE UNIQUE INDEX athlete_profile_calendar_token ON athlete_profile(calendar_token);
                    """)
        }
        migrator.registerMigration("v5-activities-checkins") { db in
            try db.execute(
                sql: """
                    CREATE TABLE activity_file (
                        id INTEGER PRIMARY KEY,
                        org_id INTEGER NOT NULL REFERENCES organization(id) ON DELETE CASCADE,
                        athlete_id INTEGER NOT NULL REFERENCES athlete_profile(id) ON DELETE CASCADE,
                        file_name TEXT NOT NULL,
                        kind TEXT NOT NULL CHECK (kind IN ('gpx', 'tcx', 'fit')),
                        byte_count INTEGER NOT NULL,
                        sha256 TEXT NOT NULL,
                        content BLOB NOT NULL,
                        uploaded_by INTEGER REFERENCES user(id) ON DELETE SET NULL,
                        uploaded_at DATETIME NOT NULL
                    );
                    CREATE INDEX activity_file_athlete ON activity_file(org_id, athlete_id);
                    CREATE TABLE activity (
                        id INTEGER PRIMARY KEY,
                        org_id INTEGER NOT NULL REFERENCES organization(id) ON DELETE CASCADE,
                        athlete_id INTEGER NOT NULL REFERENCES athlete_profile(id) ON DELETE CASCADE,
                        date TEXT NOT NULL,
                        start_time DATETIME,
                        sport TEXT NOT NULL CHECK (sport IN ('run', 'bike', 'swim', 'strength', 'walk', 'hike')),
                        status TEXT NOT NULL CHECK (status IN ('done', 'partial', 'skipped')),
                        distance_m REAL,
                        duration_s REAL,
                        elapsed_s REAL,
                        moving_s REAL,
                        avg_hr REAL,
                        max_hr REAL,
                        elevation_gain_m REAL,
                        elevation_loss_m REAL,
                        rpe INTEGER CHECK (rpe IS NULL OR rpe BETWEEN 1 AND 10),
                        feel TEXT,
                        notes TEXT NOT NULL DEFAULT '',
                        source TEXT NOT NULL CHECK (source IN ('gpx', 'tcx', 'fit', 'manual', 'csv')),
                        file_id INTEGER REFERENCES activity_file(id) ON DELETE SET NULL,
                        points INTEGER NOT NULL DEFAULT 0,
                        dropped_points INTEGER NOT NULL DEFAULT 0,
                        splits_json TEXT NOT NULL DEFAULT '[]',
                        scheduled_id INTEGER REFERENCES scheduled_workout(id) ON DELETE SET NULL,
                        matched_by_coach BOOLEAN NOT NULL DEFAULT 0,
                        created_by INTEGER REFERENCES user(id) ON DELETE SET NULL,
                        created_at DATETIME NOT NULL,
                        updated_at DATETIME NOT NULL
                    );
                    CREATE INDEX activity_athlete_date ON activity(org_id, athlete_id, date);
                    CREATE INDEX activity_athlete_start ON activity(athlete_id, start_time);
                    CREATE UNIQUE INDEX activity_scheduled ON activity(scheduled_id) WHERE scheduled_id IS NOT NULL;
                    CREATE TABLE wellness (
                        id INTEGER PRIMARY KEY,
                        org_id INTEGER NOT NULL REFERENCES organization(id) ON DELETE CASCADE,
                        athlete_id INTEGER NOT NULL REFERENCES athlete_profile(id) ON DELETE CASCADE,
                        date TEXT NOT NULL,
                        hrv_rmssd REAL CHECK (hrv_rmssd IS NULL OR hrv_rmssd BETWEEN 1 AND 300),
                        resting_hr INTEGER CHECK (resting_hr IS NULL OR resting_hr BETWEEN 25 AND 120),
                        sleep_hours REAL CHECK (sleep_hours IS NULL OR sleep_hours BETWEEN 0 AND 24),
                        sleep_quality INTEGER CHECK (sleep_quality IS NULL OR sleep_quality BETWEEN 1 AND 5),
                        soreness INTEGER CHECK (soreness IS NULL OR soreness BETWEEN 1 AND 5),
                        stress INTEGER CHECK (stress IS NULL OR stress BETWEEN 1 AND 5),
                        ill BOOLEAN NOT NULL DEFAULT 0,
                        illness_note TEXT NOT NULL DEFAULT '',
                        cycle_phase TEXT CHECK (cycle_phase IS NULL OR cycle_phase IN ('menstrual', 'follicular', \
                    'ovulation', 'luteal')),
                        notes TEXT NOT NULL DEFAULT '',
                        source TEXT NOT NULL DEFAULT 'form' CHECK (source IN ('form', 'csv')),
                        updated_at DATETIME NOT NULL,
                        UNIQUE (athlete_id, date)
                    );
                    CREATE INDEX wellness_org ON wellness(org_id, athlete_id, date);
                    """)
        }
        migrator.registerMigration("v6-adaptive-engine") { db in
            try db.execute(
                sql: """
                    ALTER TABLE athlete_profile ADD COLUMN sex TEXT CHECK (sex IS NULL OR sex IN ('female', 'male'));
                    ALTER TABLE athlete_profile ADD COLUMN auto_apply BOOLEAN NOT NULL DEFAULT 0;
                    CREATE TABLE adaptation (
                        id INTEGER PRIMARY KEY,
                        org_id INTEGER NOT NULL REFERENCES organization(id) ON DELETE CASCADE,
                        athlete_id INTEGER NOT NULL REFERENCES athlete_profile(id) ON DELETE CASCADE,
                        instance_id INTEGER REFERENCES plan_instance(id) ON DELETE SET NULL,
                        kind TEXT NOT NULL,
                        fingerprint TEXT NOT NULL,
                        title TEXT NOT NULL,
                        explanation TEXT NOT NULL,
                        changes_json TEXT NOT NULL,
                        undo_json TEXT,
                        state TEXT NOT NULL CHECK (state IN ('proposed', 'applied', 'rejected', 'undone', 'stale')),
                        created_at DATETIME NOT NULL,
                        decided_at DATETIME,
                        decided_by INTEGER REFERENCES user(id) ON DELETE SET NULL,
                        UNIQUE (athlete_id, fingerprint)
                    );
                    CREATE INDEX adaptation_org_state ON adaptation(org_id, state, created_at);
                    CREATE INDEX adaptation_athlete ON adaptation(athlete_id, created_at);
                    CREATE TABLE organization_model (
                        org_id INTEGER PRIMARY KEY REFERENCES organization(id) ON DELETE CASCADE,
                        tau1 REAL NOT NULL,
                        tau2 REAL NOT NULL,
                        athletes INTEGER NOT NULL,
                        computed_at DATETIME NOT NULL
                    );
                    """)
        }
        migrator.registerMigration("v7-heat-and-heart-rate") { db in
            // Activities imported before v7 keep 0/0: their files are still stored and can be
            // re-read, but the count is not back-filled here (a migration must stay quick).
            try db.execute(
                sql: """
                    CREATE TABLE weather (
                        id INTEGER PRIMARY KEY,
                        org_id INTEGER NOT NULL REFERENCES organization(id) ON DELETE CASCADE,
                        athlete_id INTEGER NOT NULL REFERENCES athlete_profile(id) ON DELETE CASCADE,
                        date TEXT NOT NULL,
                        temperature_c REAL NOT NULL CHECK (temperature_c BETWEEN -40 AND 55),
                        dew_point_c REAL NOT NULL CHECK (dew_point_c BETWEEN -60 AND 35),
                        updated_by INTEGER REFERENCES user(id) ON DELETE SET NULL,
                        updated_at DATETIME NOT NULL,
                        UNIQUE (athlete_id, date)
                    );
                    CREATE INDEX weather_org ON weather(org_id, athlete_id, date);
                    ALTER TABLE activity ADD COLUMN hr_samples INTEGER NOT NULL DEFAULT 0;
                    ALTER TABLE activity ADD COLUMN hr_dropouts INTEGER NOT NULL DEFAULT 0;
                    """)
        }
        migrator.registerMigration("v8-known-devices") { db in
            // Log-in throttling per account and address, and browsers that signed in before
            // (OWASP device cookies): a known device is not held back by strangers' failures.
            try db.execute(
                sql: """
                    CREATE TABLE known_device (
                        token_hash TEXT PRIMARY KEY,
                        user_id INTEGER NOT NULL REFERENCES user(id) ON DELETE CASCADE,
                        created_at DATETIME NOT NULL,
                        expires_at DATETIME NOT NULL
                    );
                    CREATE INDEX known_device_user ON known_device(user_id);
                    ALTER TABLE login_attempt ADD COLUMN device_hash TEXT;
                    CREATE INDEX login_attempt_device ON login_attempt(device_hash, attempted_at);
                    CREATE INDEX login_attempt_pair ON login_attempt(email, address, attempted_at);
                    """)
        }
        migrator.registerMigration("v9-coaches-edit-library") { db in
            // The admin may let coaches build library workouts (they build workouts daily).
            try db.execute(
                sql: "ALTER TABLE organization ADD COLUMN coaches_edit_library BOOLEAN NOT NULL DEFAULT 0")
        }
        migrator.registerMigration("v10-triage") { db in
            // The coach's board: which coach looks after which athletes (directly or through a group), and
            // each athlete's readiness as the engine last saw it (so a list of 150 needs no 150 engine runs).
            try db.execute(
                sql: """
                    CREATE TABLE coach_assignment (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        org_id INTEGER NOT NULL REFERENCES organization(id) ON DELETE CASCADE,
                        coach_user_id INTEGER NOT NULL REFERENCES user(id) ON DELETE CASCADE,
                        athlete_id INTEGER REFERENCES athlete_profile(id) ON DELETE CASCADE,
                        group_id INTEGER REFERENCES athlete_group(id) ON DELETE CASCADE,
                        created_at DATETIME NOT NULL,
                        CHECK ((athlete_id IS NULL) <> (group_id IS NULL))
                    );
                    CREATE UNIQUE INDEX coach_assignment_athlete ON coach_assignment(org_id, coach_user_id, athlete_id)
                        WHERE athlete_id IS NOT NULL;
                    CREATE UNIQUE INDEX coach_assignment_group ON coach_assignment(org_id, coach_user_id, group_id)
                        WHERE group_id IS NOT NULL;
                    ALTER TABLE athlete_profile ADD COLUMN readiness TEXT;
                    ALTER TABLE athlete_profile ADD COLUMN readiness_reason TEXT;
                    """)
        }
        migrator.registerMigration("v11-individual") { db in
            // What the engine learns each athlete from: the birth year (the age prior of recovery), the
            // stride mechanics of each file, and the days the athlete cannot train.
            try db.execute(
                sql: """
                    ALTER TABLE athlete_profile ADD COLUMN birth_year INTEGER
                        CHECK (birth_year IS NULL OR birth_year BETWEEN 1900 AND 2100);
                    ALTER TABLE activity ADD COLUMN cadence_cv REAL;
                    ALTER TABLE activity ADD COLUMN asymmetry_pct REAL;
                    ALTER TABLE activity ADD COLUMN pace_cv REAL;
                    CREATE TABLE unavailable_day (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        org_id INTEGER NOT NULL REFERENCES organization(id) ON DELETE CASCADE,
                        athlete_id INTEGER NOT NULL REFERENCES athlete_profile(id) ON DELETE CASCADE,
                        date TEXT NOT NULL,
                        reason TEXT NOT NULL DEFAULT '' CHECK (length(reason) <= 200),
                        created_by INTEGER REFERENCES user(id) ON DELETE SET NULL,
                        created_at DATETIME NOT NULL,
                        UNIQUE (org_id, athlete_id, date)
                    );
                    """)
        }
        migrator.registerMigration("v12-comments") { db in
            // Coach and athlete talk on a workout or an activity; each reader's place in each thread.
            try db.execute(
                sql: """
                    CREATE TABLE comment (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        org_id INTEGER NOT NULL REFERENCES organization(id) ON DELETE CASCADE,
                        athlete_id INTEGER NOT NULL REFERENCES athlete_profile(id) ON DELETE CASCADE,
                        scheduled_id INTEGER REFERENCES scheduled_workout(id) ON DELETE CASCADE,
                        activity_id INTEGER REFERENCES activity(id) ON DELETE CASCADE,
                        author_id INTEGER REFERENCES user(id) ON DELETE SET NULL,
                        body TEXT NOT NULL CHECK (length(body) BETWEEN 1 AND 5000),
                        created_at DATETIME NOT NULL,
                        edited_at DATETIME,
                        CHECK ((scheduled_id IS NULL) <> (activity_id IS NULL))
                    );
                    CREATE INDEX comment_scheduled ON comment(scheduled_id, id);
                    CREATE INDEX comment_activity ON comment(activity_id, id);
                    CREATE TABLE comment_read (
                        org_id INTEGER NOT NULL REFERENCES organization(id) ON DELETE CASCADE,
                        user_id INTEGER NOT NULL REFERENCES user(id) ON DELETE CASCADE,
                        thread TEXT NOT NULL,
                        last_read_id INTEGER NOT NULL,
                        PRIMARY KEY (user_id, thread)
                    );
                    """)
        }
        migrator.registerMigration("v13-notifications") { db in
            // What each member is told about (in the app; by email later), once per event, and their switches.
            try db.execute(
                sql: """
                    CREATE TABLE notification (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        org_id INTEGER NOT NULL REFERENCES organization(id) ON DELETE CASCADE,
                        user_id INTEGER NOT NULL REFERENCES user(id) ON DELETE CASCADE,
                        kind TEXT NOT NULL,
                        title TEXT NOT NULL CHECK (length(title) <= 300),
                        link_kind TEXT NOT NULL,
                        link_id INTEGER,
                        dedupe TEXT NOT NULL,
                        created_at DATETIME NOT NULL,
                        read_at DATETIME,
                        UNIQUE (user_id, dedupe)
                    );
                    CREATE INDEX notification_user ON notification(org_id, user_id, read_at);
                    CREATE TABLE notification_pref (
                        org_id INTEGER NOT NULL REFERENCES organization(id) ON DELETE CASCADE,
                        user_id INTEGER NOT NULL REFERENCES user(id) ON DELETE CASCADE,
                        kind TEXT NOT NULL,
                        in_app BOOLEAN NOT NULL DEFAULT 1,
                        email BOOLEAN NOT NULL DEFAULT 1,
                        PRIMARY KEY (org_id, user_id, kind)
                    );
                    """)
        }
        migrator.registerMigration("v14-mail") { db in
            // The outbox: every email, written out whole when its event happens, sent by the mail worker.
            // `dedupe` names the event, so an event queues one email however often it is seen. The
            // organization is there for ON DELETE CASCADE and the unsubscribe link; requests never read it.
            try db.execute(
                sql: """
                    CREATE TABLE mail_outbox (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        org_id INTEGER REFERENCES organization(id) ON DELETE CASCADE,
                        user_id INTEGER REFERENCES user(id) ON DELETE CASCADE,
                        kind TEXT NOT NULL,
                        dedupe TEXT NOT NULL UNIQUE,
                        sender TEXT NOT NULL,
                        recipient TEXT NOT NULL,
                        subject TEXT NOT NULL,
                        message BLOB NOT NULL,
                        unsubscribe_hash TEXT UNIQUE,
                        status TEXT NOT NULL CHECK (status IN ('queued', 'sending', 'sent', 'failed', 'skipped')),
                        attempts INTEGER NOT NULL DEFAULT 0,
                        next_attempt_at DATETIME NOT NULL,
                        last_error TEXT,
                        created_at DATETIME NOT NULL,
                        sent_at DATETIME
                    );
                    CREATE INDEX mail_outbox_due ON mail_outbox(status, next_attempt_at);
                    CREATE TABLE password_reset (
                        id INTEGER PRIMARY KEY,
                        user_id INTEGER NOT NULL REFERENCES user(id) ON DELETE CASCADE,
                        token_hash TEXT NOT NULL UNIQUE,
                        created_at DATETIME NOT NULL,
                        expires_at DATETIME NOT NULL,
                        used_at DATETIME
                    );
                    CREATE INDEX password_reset_user ON password_reset(user_id);
                    CREATE TABLE mail_schedule (
                        org_id INTEGER NOT NULL REFERENCES organization(id) ON DELETE CASCADE,
                        user_id INTEGER NOT NULL REFERENCES user(id) ON DELETE CASCADE,
                        kind TEXT NOT NULL CHECK (kind IN ('tomorrow', 'digest')),
                        enabled BOOLEAN NOT NULL,
                        minute_of_day INTEGER NOT NULL CHECK (minute_of_day BETWEEN 0 AND 1439),
                        PRIMARY KEY (org_id, user_id, kind)
                    );
                    ALTER TABLE notification ADD COLUMN email_state TEXT;
                    ALTER TABLE notification ADD COLUMN in_app BOOLEAN NOT NULL DEFAULT 1;
                    CREATE INDEX notification_email ON notification(email_state) WHERE email_state IS NOT NULL;
                    """)
        }
        migrator.registerMigration("v15-api-tokens") { db in
            // Personal access tokens of the JSON API: one member in one organization, stored as the
            // SHA-256 of the token (shown once). The rate window is kept here too, so a second server
            // counts the same requests: requests in the minute that began at `window_start`.
            try db.execute(
                sql: """
                    CREATE TABLE api_token (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        org_id INTEGER NOT NULL REFERENCES organization(id) ON DELETE CASCADE,
                        user_id INTEGER NOT NULL REFERENCES user(id) ON DELETE CASCADE,
                        name TEXT NOT NULL,
                        token_hash TEXT NOT NULL UNIQUE,
                        scope TEXT NOT NULL CHECK (scope IN ('read', 'write')),
                        created_at DATETIME NOT NULL,
                        expires_at DATETIME,
                        last_used_at DATETIME,
                        revoked_at DATETIME,
                        window_start DATETIME,
                        window_count INTEGER NOT NULL DEFAULT 0
                    );
                    CREATE INDEX api_token_user ON api_token(user_id);
                    """)
        }
        migrator.registerMigration("v16-thresholds") { db in
            // Thresholds besides VDOT and max/resting heart rate, with their history: FTP, the running and
            // cycling threshold heart rates, CSS. Zones use the value valid on the day.
            try db.execute(
                sql: """
                    CREATE TABLE athlete_threshold (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        org_id INTEGER NOT NULL REFERENCES organization(id) ON DELETE CASCADE,
                        athlete_id INTEGER NOT NULL REFERENCES athlete_profile(id) ON DELETE CASCADE,
                        kind TEXT NOT NULL CHECK (kind IN ('ftp', 'lthr_run', 'lthr_bike', 'css')),
                        value REAL NOT NULL,
                        valid_from TEXT NOT NULL,
                        source TEXT NOT NULL CHECK (source IN ('entered', 'test', 'detected')),
                        created_by INTEGER REFERENCES user(id) ON DELETE SET NULL,
                        created_at DATETIME NOT NULL,
                        UNIQUE (athlete_id, kind, valid_from)
                    );
                    """)
        }
        migrator.registerMigration("v17-activity-power") { db in
            // What a file's samples say of the effort: power (average, normalized, best 20 minutes) for the
            // load of rides and FTP detection, the best 20-minute heart rate for threshold heart rates.
            try db.execute(
                sql: """
                    ALTER TABLE activity ADD COLUMN avg_power REAL
                        CHECK (avg_power IS NULL OR avg_power BETWEEN 0 AND 3000);
                    ALTER TABLE activity ADD COLUMN normalized_power REAL
                        CHECK (normalized_power IS NULL OR normalized_power BETWEEN 0 AND 3000);
                    ALTER TABLE activity ADD COLUMN best20min_power REAL
                        CHECK (best20min_power IS NULL OR best20min_power BETWEEN 0 AND 3000);
                    ALTER TABLE activity ADD COLUMN effort_hr REAL
                        CHECK (effort_hr IS NULL OR effort_hr BETWEEN 30 AND 240);
                    """)
        }
        migrator.registerMigration("v18-hot-query-indexes") { db in
            // The coach's board reads the organization's assignments whole; the unique indexes are partial
            // (athlete or group rows only), so SQLite scanned the table (`QueryPlanTests` finds such scans).
            try db.execute(sql: "CREATE INDEX coach_assignment_org ON coach_assignment(org_id, coach_user_id)")
        }
        migrator.registerMigration("v19-data-version") { db in
            // The organization's data version: every change to one of its rows adds one, by trigger,
            // so no write path can forget it. Pages cached in memory are keyed by it (PageCache) and
            // every server reads it with the tenant, so a cache never outlives the data it shows.
            try db.execute(sql: "ALTER TABLE organization ADD COLUMN data_version INTEGER NOT NULL DEFAULT 0")
            for table in Self.versionedTables { try Self.createVersionTriggers(db, table: table) }
            // An API token's use (last used, the rate window) changes no page: only its own columns do.
            try Self.createVersionTriggers(
                db, table: "api_token", updateOf: "name, scope, expires_at, revoked_at, user_id, org_id")
            // Names of people appear on other members' pages; the organization's own settings on all of them.
            try db.execute(
                sql: """
                    CREATE TRIGGER user_data_version AFTER UPDATE OF name, email ON user BEGIN
                      UPDATE organization SET data_version = data_version + 1
                      WHERE id IN (SELECT org_id FROM membership WHERE user_id = NEW.id);
                    END;
                    CREATE TRIGGER organization_data_version
                    AFTER UPDATE OF slug, name, units, time_zone, coaches_edit_library ON organization BEGIN
                      UPDATE organization SET data_version = data_version + 1 WHERE id = NEW.id;
                    END;
                    """)
        }
        migrator.registerMigration("v20-background-runs") { db in
            // When each whole-database job last finished, so a restarted server (or a second one) does
            // not run the engine over every athlete again when it ran an hour ago.
            try db.execute(
                sql: """
                    CREATE TABLE background_run (
                        name TEXT PRIMARY KEY NOT NULL,
                        finished_at DATETIME NOT NULL
                    )
                    """)
        }
        migrator.registerMigration("v21-background-claims") { db in
            // Several app servers on one PostgreSQL database: a background job (the engine's run over
            // everyone) is claimed for a while by one server, so two never run it at once; a server
            // killed mid-run lets its claim lapse and another takes the job. Same on SQLite (one server).
            try db.execute(
                sql: """
                    ALTER TABLE background_run ADD COLUMN claimed_by TEXT;
                    ALTER TABLE background_run ADD COLUMN claimed_until DATETIME;
                    """)
        }
        migrator.registerMigration("v22-version-slots") { _ in
            // PostgreSQL only (its twin in `PostgresSchema.later`): there an organization's data version
            // is counted in slots beside its row, so concurrent writes of one organization stop contending
            // for that row. SQLite's one writer raises `organization.data_version` as before: nothing to do.
        }
        return migrator
    }

    /// The tenant tables of migration v19 whose every change bumps `organization.data_version` (later
    /// tables add their triggers in their own migration; `StoreTests` checks that every table with an
    /// `org_id` has them).
    static let versionedTables = [
        "activity", "activity_file", "adaptation", "athlete_group", "athlete_profile", "athlete_threshold",
        "audit_log", "coach_assignment", "comment", "comment_read", "group_member", "instance_event", "invitation",
        "mail_outbox", "mail_schedule", "membership", "notification", "notification_pref", "organization_model",
        "plan_assignment", "plan_day", "plan_instance", "plan_template", "plan_week", "scheduled_workout",
        "unavailable_day", "weather", "wellness", "workout",
    ]

    /// After insert, update (of `updateOf`, or any column) and delete of a row: its organization's
    /// data version goes up by one (both organizations when an update moves a row, which none does).
    static func createVersionTriggers(_ db: Database, table: String, updateOf: String? = nil) throws {
        let bump = "UPDATE organization SET data_version = data_version + 1 WHERE id"
        let columns = updateOf.map { " OF \($0)" } ?? ""
        try db.execute(
            sql: """
                CREATE TRIGGER \(table)_version_insert AFTER INSERT ON \(table) BEGIN
                  \(bump) = NEW.org_id;
                END;
                CREATE TRIGGER \(table)_version_update AFTER UPDATE\(columns) ON \(table) BEGIN
                  \(bump) IN (OLD.org_id, NEW.org_id);
                END;
                CREATE TRIGGER \(table)_version_delete AFTER DELETE ON \(table) BEGIN
                  \(bump) = OLD.org_id;
                END;
                """)
    }

    /// Tables that hold no tenant data and so carry no `org_id`; every other table must.
    public static let globalTables: Set<String> = [
        "organization", "user", "session", "login_attempt", "known_device", "password_reset", "background_run",
    ]

    /// Tables with an `org_id` that requests never read: the mail worker's queue, which carries the
    /// organization only so its rows go with it and its unsubscribe links know where they belong.
    /// The API's tokens too: read by their hash (to authenticate) and by their user (the account page),
    /// never by a tenant page; the organization they act in is resolved through the membership.
    public static let systemTablesWithOrganization: Set<String> = ["mail_outbox", "api_token"]

    /// Every user table with its columns, for the schema's tenancy test.
    public func tableColumns() async throws -> [String: [String]] {
        try await writer.read { db in
            var out: [String: [String]] = [:]
            for table in try db.tableNames() {
                out[table] = try db.columnNames(of: table)
            }
            return out
        }
    }
}

extension AppDatabase {
    /// Every row of every table as text, table by table, in primary key order: tests compare two of
    /// these to prove that a refused request changed nothing.
    public func contentSnapshot() async throws -> [String: [String]] {
        try await writer.read { db in
            var out: [String: [String]] = [:]
            for table in try db.tableNames() {
                // The data version counts changes (a refused request's audit entry raises it): not content.
                let columns = try db.columnNames(of: table).filter { table != "organization" || $0 != "data_version" }
                let key = try db.primaryKeyColumns(of: table).map(\.quotedDatabaseIdentifier).joined(separator: ", ")
                out[table] = try db.rows(
                    sql: "SELECT * FROM \(table.quotedDatabaseIdentifier) ORDER BY \(key)"
                ).map { row in columns.map { "\($0):\(row[$0] as DatabaseValue)" }.joined(separator: " ") }
            }
            return out
        }
    }
}

extension AppDatabase {
    /// The triggers on each table (tests check that every tenant table raises the data version).
    public func triggerNames() async throws -> [String: [String]] {
        try await writer.read { db in try db.triggerNames() }
    }

    /// Tests of `/healthz`: a database that has not run a migration of this build, or one that
    /// ran a migration this build does not know (a newer release's). Not used by the app.
    public func forgetMigrationForTesting(_ identifier: String) async throws {
        try await writer.write { db in
            try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = ?", arguments: [identifier])
        }
    }

    public func recordMigrationForTesting(_ identifier: String) async throws {
        try await writer.write { db in
            try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES (?)", arguments: [identifier])
        }
    }
}
