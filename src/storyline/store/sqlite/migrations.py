"""Named schema migrations, applied in order and recorded in the database."""

from __future__ import annotations

MIGRATIONS: tuple[tuple[str, str], ...] = (
    (
        "0001_documents",
        """
        CREATE TABLE documents (
            rowid INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            source_id TEXT NOT NULL,
            origin TEXT NOT NULL,
            title TEXT,
            url TEXT,
            source TEXT,
            author TEXT,
            published TEXT,
            published_utc TEXT,
            published_granularity TEXT,
            published_source TEXT,
            published_raw TEXT,
            published_zone_given INTEGER,
            language TEXT,
            text TEXT NOT NULL,
            captions TEXT NOT NULL DEFAULT '[]',
            credits TEXT NOT NULL DEFAULT '[]',
            boilerplate TEXT NOT NULL DEFAULT '[]',
            notes TEXT NOT NULL DEFAULT '[]',
            fetched_at TEXT,
            ingested_at TEXT NOT NULL,
            duplicate_of TEXT,
            duplicate_similarity REAL,
            minhash BLOB
        );
        CREATE INDEX documents_published ON documents(published_utc);
        CREATE INDEX documents_duplicate_of ON documents(duplicate_of);
        CREATE INDEX documents_language ON documents(language);
        CREATE INDEX documents_source ON documents(source);
        CREATE TABLE sightings (
            doc_id TEXT NOT NULL,
            source_id TEXT NOT NULL,
            origin TEXT NOT NULL,
            seen_at TEXT NOT NULL,
            PRIMARY KEY (doc_id, origin, source_id)
        ) WITHOUT ROWID;
        CREATE TABLE lsh_bands (
            band INTEGER NOT NULL,
            key INTEGER NOT NULL,
            doc_rowid INTEGER NOT NULL,
            PRIMARY KEY (band, key, doc_rowid)
        ) WITHOUT ROWID;
        CREATE TABLE settings (name TEXT PRIMARY KEY, value TEXT NOT NULL);
        """,
    ),
    (
        "0002_fulltext",
        """
        CREATE VIRTUAL TABLE documents_fts USING fts5(
            title, text, captions,
            content='documents',
            content_rowid='rowid',
            tokenize='unicode61 remove_diacritics 2'
        );
        """,
    ),
    (
        "0003_sighting_metadata",
        """
        ALTER TABLE sightings ADD COLUMN title TEXT;
        ALTER TABLE sightings ADD COLUMN url TEXT;
        ALTER TABLE sightings ADD COLUMN source TEXT;
        ALTER TABLE sightings ADD COLUMN published TEXT;
        """,
    ),
    (
        "0004_annotations",
        """
        CREATE TABLE entities (
            id TEXT PRIMARY KEY,
            kind TEXT NOT NULL,
            canonical TEXT NOT NULL,
            country TEXT,
            mentions INTEGER NOT NULL DEFAULT 0,
            documents INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX entities_kind ON entities(kind, documents DESC);
        CREATE TABLE entity_aliases (
            entity_id TEXT NOT NULL,
            alias TEXT NOT NULL,
            count INTEGER NOT NULL,
            PRIMARY KEY (entity_id, alias)
        ) WITHOUT ROWID;
        CREATE TABLE entity_mentions (
            doc_rowid INTEGER NOT NULL,
            start INTEGER NOT NULL,
            end INTEGER NOT NULL,
            text TEXT NOT NULL,
            label TEXT NOT NULL,
            entity_id TEXT NOT NULL,
            canonical TEXT NOT NULL,
            title TEXT,
            country TEXT,
            PRIMARY KEY (doc_rowid, start)
        ) WITHOUT ROWID;
        CREATE INDEX entity_mentions_entity ON entity_mentions(entity_id);
        CREATE TABLE time_expressions (
            doc_rowid INTEGER NOT NULL,
            start INTEGER NOT NULL,
            end INTEGER NOT NULL,
            text TEXT NOT NULL,
            type TEXT NOT NULL,
            value TEXT NOT NULL,
            PRIMARY KEY (doc_rowid, start)
        ) WITHOUT ROWID;
        CREATE TABLE annotated (
            doc_rowid INTEGER PRIMARY KEY,
            stages TEXT NOT NULL,
            skipped TEXT NOT NULL DEFAULT '[]',
            annotated_at TEXT NOT NULL
        );
        """,
    ),
    (
        "0005_places",
        """
        CREATE TABLE place_mentions (
            doc_rowid INTEGER NOT NULL,
            start INTEGER NOT NULL,
            end INTEGER NOT NULL,
            text TEXT NOT NULL,
            name TEXT NOT NULL,
            country TEXT,
            lat REAL NOT NULL,
            lon REAL NOT NULL,
            kind TEXT NOT NULL,
            PRIMARY KEY (doc_rowid, start)
        ) WITHOUT ROWID;
        CREATE INDEX place_mentions_country ON place_mentions(country);
        """,
    ),
    (
        "0006_events",
        """
        CREATE TABLE events (
            id TEXT PRIMARY KEY,
            doc_rowid INTEGER NOT NULL,
            start INTEGER NOT NULL,
            type TEXT NOT NULL,
            subtype TEXT,
            cameo TEXT,
            status TEXT NOT NULL,
            time_value TEXT,
            date_start TEXT,
            date_end TEXT,
            place_name TEXT,
            place_country TEXT,
            confidence REAL NOT NULL,
            data TEXT NOT NULL
        );
        CREATE INDEX events_doc ON events(doc_rowid);
        CREATE INDEX events_type ON events(type, status);
        CREATE INDEX events_date ON events(date_start);
        CREATE TABLE event_actors (
            event_id TEXT NOT NULL,
            entity_id TEXT NOT NULL,
            role TEXT NOT NULL,
            PRIMARY KEY (event_id, entity_id, role)
        ) WITHOUT ROWID;
        CREATE INDEX event_actors_entity ON event_actors(entity_id);
        """,
    ),
    (
        "0007_clusters",
        """
        CREATE TABLE clusters (
            id TEXT PRIMARY KEY,
            family TEXT NOT NULL,
            type TEXT NOT NULL,
            subtype TEXT,
            start TEXT NOT NULL,
            end TEXT NOT NULL,
            granularity TEXT NOT NULL,
            status TEXT NOT NULL,
            actors TEXT NOT NULL,
            countries TEXT NOT NULL,
            place TEXT,
            country TEXT,
            lat REAL,
            lon REAL,
            label TEXT NOT NULL,
            storyline TEXT
        );
        CREATE INDEX clusters_storyline ON clusters(storyline, start);
        CREATE INDEX clusters_start ON clusters(start);
        CREATE TABLE cluster_keys (
            key TEXT NOT NULL,
            start TEXT NOT NULL,
            cluster_id TEXT NOT NULL,
            PRIMARY KEY (key, start, cluster_id)
        ) WITHOUT ROWID;
        CREATE TABLE cluster_members (
            event_id TEXT PRIMARY KEY,
            cluster_id TEXT NOT NULL,
            doc_rowid INTEGER NOT NULL,
            status TEXT NOT NULL
        );
        CREATE INDEX cluster_members_cluster ON cluster_members(cluster_id);
        CREATE INDEX cluster_members_doc ON cluster_members(doc_rowid);
        CREATE TABLE document_clusters (
            doc_rowid INTEGER PRIMARY KEY,
            cluster_id TEXT,
            how TEXT NOT NULL
        );
        CREATE INDEX document_clusters_cluster ON document_clusters(cluster_id);
        CREATE TABLE document_vectors (
            doc_rowid INTEGER PRIMARY KEY,
            model TEXT NOT NULL,
            vector BLOB NOT NULL
        );
        CREATE TABLE storylines (
            id TEXT PRIMARY KEY,
            key TEXT NOT NULL UNIQUE,
            label TEXT NOT NULL,
            entities TEXT NOT NULL
        );
        CREATE TABLE storyline_entities (
            entity_id TEXT NOT NULL,
            storyline_id TEXT NOT NULL,
            PRIMARY KEY (entity_id, storyline_id)
        ) WITHOUT ROWID;
        """,
    ),
    (
        "0008_serving",
        """
        CREATE INDEX documents_order ON documents(published_utc IS NULL, published_utc);
        CREATE INDEX place_mentions_name ON place_mentions(name COLLATE NOCASE);
        CREATE INDEX clusters_place ON clusters(lat, lon);
        """,
    ),
    (
        # who acts with whom, kept up to date as documents are annotated (store/sqlite/graph.py):
        # each entity's events as an actor, and for each pair of actors (a < b) the events and the
        # documents in which both act; the backfill reads the events already stored
        "0009_entity_graph",
        """
        ALTER TABLE entities ADD COLUMN events INTEGER NOT NULL DEFAULT 0;
        CREATE INDEX entities_events ON entities(events DESC, documents DESC);
        CREATE TABLE entity_edges (
            a TEXT NOT NULL,
            b TEXT NOT NULL,
            events INTEGER NOT NULL,
            documents INTEGER NOT NULL,
            PRIMARY KEY (a, b)
        ) WITHOUT ROWID;
        CREATE INDEX entity_edges_b ON entity_edges(b);
        UPDATE entities SET events = (
            SELECT count(DISTINCT event_id) FROM event_actors WHERE entity_id = entities.id AND role != 'speaker'
        );
        INSERT INTO entity_edges
            SELECT x.entity_id, y.entity_id, count(DISTINCT x.event_id), count(DISTINCT e.doc_rowid)
            FROM event_actors x
            JOIN event_actors y ON y.event_id = x.event_id AND y.entity_id > x.entity_id AND y.role != 'speaker'
            JOIN events e ON e.id = x.event_id
            WHERE x.role != 'speaker'
            GROUP BY x.entity_id, y.entity_id
        """,
    ),
    (
        "0010_cluster_entities",
        """
        -- who takes part in each happening (its actors and the countries they stand for), indexed
        -- both ways: finding an entity's happenings reads a few index rows, not every happening
        CREATE TABLE cluster_entities (
            entity_id TEXT NOT NULL,
            cluster_id TEXT NOT NULL,
            PRIMARY KEY (entity_id, cluster_id)
        ) WITHOUT ROWID;
        CREATE INDEX cluster_entities_cluster ON cluster_entities(cluster_id);
        INSERT OR IGNORE INTO cluster_entities SELECT j.key, c.id FROM clusters c, json_each(c.actors) j;
        INSERT OR IGNORE INTO cluster_entities SELECT j.key, c.id FROM clusters c, json_each(c.countries) j;
        -- the longest span of any happening, kept up to date on every save: date filters bound the
        -- start index with it
        INSERT OR REPLACE INTO settings SELECT 'cluster_max_span_days',
            CAST(coalesce(max(julianday(end) - julianday(start)), 0) AS INTEGER) FROM clusters;
        """,
    ),
    (
        "0011_place_months",
        """
        -- how many documents published in each month name each place: the map's counts for any
        -- date range add up a few rows per place, kept up to date as documents are annotated
        CREATE TABLE place_months (
            month TEXT NOT NULL,
            name TEXT NOT NULL,
            country TEXT NOT NULL,
            lat REAL NOT NULL,
            lon REAL NOT NULL,
            documents INTEGER NOT NULL,
            PRIMARY KEY (month, name, lat, lon)
        ) WITHOUT ROWID;
        INSERT INTO place_months
            SELECT coalesce(substr(d.published_utc, 1, 7), ''), p.name, coalesce(p.country, ''), p.lat, p.lon,
                count(DISTINCT p.doc_rowid)
            FROM place_mentions p JOIN documents d ON d.rowid = p.doc_rowid
            GROUP BY 1, p.name, p.lat, p.lon;
        """,
    ),
    (
        # happenings need not have a day (an undated article is placed by its content alone), may be
        # tentative (one article, no confident event: hidden unless asked for), and carry the
        # model's confidence; each document's profile (what the happening model reads of it) and
        # the number of documents each term appears in, for TF-IDF
        "0012_content_placement",
        """
        CREATE TABLE clusters_new (
            id TEXT PRIMARY KEY,
            family TEXT NOT NULL,
            type TEXT NOT NULL,
            subtype TEXT,
            start TEXT,
            end TEXT,
            granularity TEXT NOT NULL,
            status TEXT NOT NULL,
            actors TEXT NOT NULL,
            countries TEXT NOT NULL,
            place TEXT,
            country TEXT,
            lat REAL,
            lon REAL,
            label TEXT NOT NULL,
            storyline TEXT,
            tentative INTEGER NOT NULL DEFAULT 0,
            confidence REAL
        );
        INSERT INTO clusters_new SELECT id, family, type, subtype, start, end, granularity, status, actors,
            countries, place, country, lat, lon, label, storyline, 0, NULL FROM clusters;
        DROP TABLE clusters;
        ALTER TABLE clusters_new RENAME TO clusters;
        CREATE INDEX clusters_storyline ON clusters(storyline, start);
        CREATE INDEX clusters_start ON clusters(start);
        CREATE INDEX clusters_place ON clusters(lat, lon);
        CREATE TABLE document_profiles (
            doc_rowid INTEGER PRIMARY KEY,
            data TEXT NOT NULL
        );
        CREATE TABLE term_frequencies (
            term TEXT PRIMARY KEY,
            documents INTEGER NOT NULL
        ) WITHOUT ROWID;
        -- the country each person stands for, by how many articles introduce them with it
        -- ("Russian President Vladimir Putin"): storylines count a person and their country once
        CREATE TABLE person_countries (
            person TEXT NOT NULL,
            country TEXT NOT NULL,
            name TEXT NOT NULL,
            documents INTEGER NOT NULL,
            PRIMARY KEY (person, country)
        ) WITHOUT ROWID;
        -- placements made by the rules before the happening model are made again
        DELETE FROM document_clusters;
        DELETE FROM cluster_members;
        DELETE FROM cluster_keys;
        DELETE FROM cluster_entities;
        DELETE FROM clusters;
        DELETE FROM storylines;
        DELETE FROM storyline_entities;
        """,
    ),
    (
        # a mention may be a variant of its entity's name (a misspelling resolved by context), with
        # the evidence; an alias remembers whether it is one
        "0013_entity_variants",
        """
        ALTER TABLE entity_mentions ADD COLUMN variant TEXT;
        ALTER TABLE entity_mentions ADD COLUMN evidence TEXT;
        ALTER TABLE entity_aliases ADD COLUMN variant TEXT;
        """,
    ),
    (
        # happenings in date order by their index alone: a page stops after its rows instead of
        # sorting every happening of the range, and a count reads the index, not the table
        "0014_clusters_order",
        """
        DROP INDEX clusters_start;
        CREATE INDEX clusters_start ON clusters(start, id, end, tentative);
        """,
    ),
    (
        # following sources (storyline watch): each source and its fetch state, the items of it
        # already read, saved alert watches, what each watch follows, and the alerts sent
        "0015_follow",
        """
        CREATE TABLE sources (
            id INTEGER PRIMARY KEY,
            location TEXT NOT NULL UNIQUE,
            name TEXT,
            kind TEXT NOT NULL,
            every_s INTEGER NOT NULL,
            added TEXT NOT NULL,
            next_due TEXT NOT NULL,
            last_fetch TEXT,
            last_success TEXT,
            last_status TEXT,
            etag TEXT,
            last_modified TEXT,
            last_error TEXT,
            errors INTEGER NOT NULL DEFAULT 0,
            fetches INTEGER NOT NULL DEFAULT 0,
            unchanged INTEGER NOT NULL DEFAULT 0,
            bytes INTEGER NOT NULL DEFAULT 0,
            entries_seen INTEGER NOT NULL DEFAULT 0,
            documents INTEGER NOT NULL DEFAULT 0,
            public_only INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX sources_due ON sources(next_due);
        CREATE TABLE source_items (
            source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
            item TEXT NOT NULL,
            fingerprint TEXT NOT NULL,
            seen TEXT NOT NULL,
            PRIMARY KEY (source_id, item)
        );
        CREATE TABLE alert_watches (
            id INTEGER PRIMARY KEY,
            name TEXT,
            spec TEXT NOT NULL,
            webhook TEXT,
            secret TEXT,
            created TEXT NOT NULL
        );
        CREATE TABLE alert_follows (
            watch_id INTEGER NOT NULL REFERENCES alert_watches(id) ON DELETE CASCADE,
            happening_id TEXT NOT NULL,
            documents TEXT NOT NULL,
            status TEXT NOT NULL,
            PRIMARY KEY (watch_id, happening_id)
        );
        CREATE TABLE alerts (
            id INTEGER PRIMARY KEY,
            watch_id INTEGER NOT NULL REFERENCES alert_watches(id) ON DELETE CASCADE,
            change_key TEXT NOT NULL,
            kind TEXT NOT NULL,
            happening_id TEXT,
            created TEXT NOT NULL,
            payload TEXT NOT NULL,
            printed INTEGER NOT NULL DEFAULT 0,
            webhook_state TEXT,
            webhook_attempts INTEGER NOT NULL DEFAULT 0,
            webhook_next TEXT,
            webhook_error TEXT,
            UNIQUE (watch_id, change_key)
        );
        CREATE INDEX alerts_webhook ON alerts(webhook_state, webhook_next)
        """,
    ),
    (
        # PostgreSQL's counters of sources become 64-bit; SQLite's integers are 64-bit already. (A
        # store made by a development version between the two holds public_only from this step.)
        "0016_follow_counters",
        "SELECT 1",
    ),
    (
        # the vectors of a model counted, and those above a rowid found, from an index alone: what
        # brings a happening index kept in the cache up to date (storyline.cluster). Built once,
        # reading the table (1,000,000 vectors: 1.6 GB, about 6 s on SQLite)
        "0017_vector_marks",
        "CREATE INDEX document_vectors_model ON document_vectors(model, doc_rowid)",
    ),
    (
        # storylines found by two entities they share (two countries, or two people), not by every
        # storyline sharing one: a country is in thousands of them (storyline.cluster._storyline).
        # The index by storyline makes the pairs of the storylines there are a join, not a scan
        # per row
        "0018_storyline_pairs",
        """
        CREATE INDEX storyline_entities_storyline ON storyline_entities(storyline_id, entity_id);
        CREATE TABLE storyline_pairs (
            a TEXT NOT NULL,
            b TEXT NOT NULL,
            storyline_id TEXT NOT NULL,
            PRIMARY KEY (a, b, storyline_id)
        ) WITHOUT ROWID;
        INSERT OR IGNORE INTO storyline_pairs SELECT x.entity_id, y.entity_id, x.storyline_id
            FROM storyline_entities x JOIN storyline_entities y
            ON y.storyline_id = x.storyline_id AND y.entity_id > x.entity_id
        """,
    ),
    (
        # happenings found by two parties they share with an event, or by their one party when they
        # have one (marked: storyline.store.keys.ONE_PARTY_MARK), not every happening of any one party in
        # the window: a country is a party of thousands (storyline.cluster._join).
        # A happening's keys are found by its id (merges and re-placed documents scanned the table)
        "0019_cluster_keys_alone",
        """
        CREATE INDEX cluster_keys_cluster ON cluster_keys(cluster_id);
        INSERT OR IGNORE INTO cluster_keys SELECT '=' || key, start, cluster_id FROM cluster_keys
            WHERE cluster_id IN (SELECT cluster_id FROM cluster_keys GROUP BY cluster_id HAVING count(DISTINCT key) = 1)
        """,
    ),
    (
        # every happening found by its keys filed under each of its parties, in its own family and
        # from its first day as it is now, and marked when it has one party: what a happening merged
        # by the happening model lacked (the other's keys came under the other's family and days),
        # and what 0019 marked by counting keys of any family
        "0020_cluster_keys_parties",
        """
        INSERT OR IGNORE INTO cluster_keys SELECT c.family || ':' || p.key, c.start, c.id
            FROM clusters c JOIN json_each(c.actors) p
            WHERE c.start IS NOT NULL AND c.end IS NOT NULL AND c.id IN (SELECT cluster_id FROM cluster_keys);
        INSERT OR IGNORE INTO cluster_keys SELECT c.family || ':' || p.key, c.start, c.id
            FROM clusters c JOIN json_each(c.countries) p
            WHERE c.start IS NOT NULL AND c.end IS NOT NULL AND c.id IN (SELECT cluster_id FROM cluster_keys);
        DELETE FROM cluster_keys WHERE substr(key, 1, 1) = '=';
        INSERT OR IGNORE INTO cluster_keys SELECT '=' || k.key, k.start, k.cluster_id
            FROM cluster_keys k JOIN clusters c ON c.id = k.cluster_id
            WHERE c.start IS NOT NULL AND substr(k.key, 1, length(c.family) + 1) = c.family || ':'
            AND (SELECT count(*) FROM (SELECT key FROM json_each(c.actors)
                 UNION SELECT key FROM json_each(c.countries))) = 1
        """,
    ),
)
