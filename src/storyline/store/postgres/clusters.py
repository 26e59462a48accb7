"""The PostgreSQL store's tables of happenings (event clusters), storylines and document vectors:
the SQLite store's (store/sqlite/clusters.py), statement for statement."""

from __future__ import annotations

import json
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

import numpy as np

from storyline.model.clusters import ClusterSource, ClusterState, EventCluster, HappeningEvidence, StorylineRecord
from storyline.store.filters import HappeningFilter, happening_where
from storyline.store.keys import DROP_MERGED_MARKS, ONE_PARTY_MARK, candidate_ids, filing, state_keys
from storyline.store.postgres.db import Database
from storyline.store.rows import (
    HAPPENING_PROFILES,
    cluster_from_row,
    entity_pairs,
    member_profiles,
    storyline_pairs,
    vectors_from_rows,
)
from storyline.store.sqlite.clusters import _storyline_id

_NAMES = (
    "id", "family", "type", "subtype", "start", "end", "granularity", "status", "actors", "countries", "place",
    "country", "lat", "lon", "label", "storyline", "tentative", "confidence",
)  # fmt: skip
_CLUSTER_COLUMNS = ", ".join(f'"{n}"' if n == "end" else n for n in _NAMES)


class ClusterTables(Database):
    """Mixed into :class:`PostgresStore`: reads and writes of happenings and storylines."""

    # -- clustering ---------------------------------------------------------------------------
    def unclustered(self, limit: int) -> list[str]:
        """Ids of annotated documents not yet placed in a happening, oldest first."""
        return [
            r[0]
            for r in self._all(
                "SELECT d.id FROM documents d JOIN annotated a ON a.doc_rowid = d.rowid "
                "LEFT JOIN document_clusters c ON c.doc_rowid = d.rowid WHERE c.doc_rowid IS NULL "
                "ORDER BY d.rowid LIMIT %s",
                (limit,),
            )
        ]

    def cluster_candidates(self, keys: Sequence[str], low: date, high: date) -> list[ClusterState]:
        """Happenings whose first day falls between ``low`` and ``high`` that an event of parties
        ``keys`` may join (storyline.store.keys)."""
        if not keys:
            return []
        sql, args = candidate_ids(keys, low, high)
        rows = self._all(
            f"SELECT {_CLUSTER_COLUMNS} FROM clusters WHERE id IN ({sql.replace('?', '%s')}) ORDER BY id", tuple(args)
        )
        return [_state(r) for r in rows]

    def save_cluster(self, state: ClusterState, kind: str, subtype: str | None, place: dict[str, Any] | None,
                     label: str, keys: Sequence[str]) -> None:  # fmt: skip
        """Insert or update a cluster, and index it under ``keys``."""
        p = place or {}
        with self._atomic():
            self._run(
                'INSERT INTO clusters (id, family, type, subtype, start, "end", granularity, status, actors, '
                "countries, place, country, lat, lon, label, storyline) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, "
                "%s, %s, %s, %s, %s, %s, %s, NULL) ON CONFLICT (id) DO UPDATE SET start = excluded.start, "
                '"end" = excluded."end", granularity = excluded.granularity, status = excluded.status, '
                "actors = excluded.actors, countries = excluded.countries, "
                "place = coalesce(clusters.place, excluded.place), "
                "country = coalesce(clusters.country, excluded.country), "
                "lat = coalesce(clusters.lat, excluded.lat), lon = coalesce(clusters.lon, excluded.lon), "
                "label = excluded.label",
                (
                    state.id, state.family, kind, subtype, _iso(state.start), _iso(state.end), state.granularity,
                    state.status, json.dumps(state.actors, ensure_ascii=False),
                    json.dumps(state.countries, ensure_ascii=False), p.get("name"), state.country or p.get("country"),
                    p.get("lat"), p.get("lon"), label,
                ),
            )  # fmt: skip
            self._file(state, keys)
            self._run("DELETE FROM cluster_entities WHERE cluster_id = %s", (state.id,))
            self._many(
                "INSERT INTO cluster_entities VALUES (%s, %s) ON CONFLICT DO NOTHING",
                [(entity_id, state.id) for entity_id in sorted({*state.actors, *state.countries})],
            )

    def _file(self, state: ClusterState, keys: Sequence[str]) -> None:
        """File a dated happening under ``keys`` from its first day (an undated one is matched by
        content, not by its parties' days), marked while it has a single party."""
        if state.start is None or state.end is None:
            return
        for sql, rows in filing(state.id, state.start, keys):
            self._many(sql.replace("?", "%s"), rows)
        self._run(
            "INSERT INTO settings VALUES ('cluster_max_span_days', %s) ON CONFLICT (name) DO UPDATE SET "
            "value = greatest(settings.value::integer, excluded.value::integer)::text",
            (str((state.end - state.start).days),),
        )

    def merge_clusters(self, into: str, other: str) -> None:
        """Fold cluster ``other`` into ``into``: its members, documents and keys move; it goes."""
        with self._atomic():
            self._run("UPDATE cluster_members SET cluster_id = %s WHERE cluster_id = %s", (into, other))
            self._run("UPDATE document_clusters SET cluster_id = %s WHERE cluster_id = %s", (into, other))
            self._run(
                "INSERT INTO cluster_keys SELECT key, start, %s FROM cluster_keys WHERE cluster_id = %s "
                "ON CONFLICT DO NOTHING",
                (into, other),
            )
            self._run("DELETE FROM cluster_keys WHERE cluster_id = %s", (other,))
            # a happening of one party that gained another
            self._run(DROP_MERGED_MARKS.replace("?", "%s"), (into, ONE_PARTY_MARK, into))
            self._run(
                "INSERT INTO cluster_entities SELECT entity_id, %s FROM cluster_entities WHERE cluster_id = %s "
                "ON CONFLICT DO NOTHING",
                (into, other),
            )
            self._run("DELETE FROM cluster_entities WHERE cluster_id = %s", (other,))
            self._run(
                "UPDATE clusters SET storyline = coalesce(storyline, (SELECT storyline FROM clusters WHERE id = %s)) "
                "WHERE id = %s",
                (other, into),
            )
            self._run("DELETE FROM clusters WHERE id = %s", (other,))

    def add_member(self, event_id: str, cluster_id: str, doc_id: str, status: str) -> None:
        self._run(
            "INSERT INTO cluster_members (event_id, cluster_id, doc_rowid, status) "
            "SELECT %s, %s, rowid, %s FROM documents WHERE id = %s "
            # replaced as SQLite replaces a row: a new row, last in the order of insertion
            "ON CONFLICT (event_id) DO UPDATE SET rowid = excluded.rowid, cluster_id = excluded.cluster_id, "
            "doc_rowid = excluded.doc_rowid, status = excluded.status",
            (event_id, cluster_id, status, doc_id),
        )

    def set_document_cluster(self, doc_id: str, cluster_id: str | None, how: str) -> None:
        self._run(
            "INSERT INTO document_clusters SELECT rowid, %s, %s FROM documents WHERE id = %s "
            "ON CONFLICT (doc_rowid) DO UPDATE SET cluster_id = excluded.cluster_id, how = excluded.how",
            (cluster_id, how, doc_id),
        )

    def document_cluster(self, doc_id: str) -> str | None:
        row = self._one(
            "SELECT c.cluster_id FROM document_clusters c JOIN documents d ON d.rowid = c.doc_rowid WHERE d.id = %s",
            (doc_id,),
        )
        return row[0] if row else None

    def storyline_for(self, key: str, label: str, entities: dict[str, str]) -> str:
        """The id of the storyline with this key, created when new; ``entities`` join its key entities."""
        with self._atomic():
            row = self._one("SELECT id, entities FROM storylines WHERE key = %s", (key,))
            before: set[str] = set()
            if row:
                sid = str(row[0])
                known = json.loads(row[1])
                before = set(known)  # the entities storyline_entities holds for it, kept alike
                if entities.keys() - known.keys():
                    known.update(entities)
                    self._run(
                        "UPDATE storylines SET entities = %s WHERE id = %s",
                        (json.dumps(known, ensure_ascii=False), sid),
                    )
            else:
                sid = _storyline_id(key)
                data = json.dumps(entities, ensure_ascii=False)
                self._run(
                    "INSERT INTO storylines (id, key, label, entities) VALUES (%s, %s, %s, %s)", (sid, key, label, data)
                )
            self._many(
                "INSERT INTO storyline_entities VALUES (%s, %s) ON CONFLICT DO NOTHING", [(e, sid) for e in entities]
            )
            self._many(
                "INSERT INTO storyline_pairs VALUES (%s, %s, %s) ON CONFLICT DO NOTHING",
                storyline_pairs(sid, before, entities),
            )
        return sid

    def storyline_overlaps(self, groups: Sequence[Sequence[str]]) -> list[tuple[str, set[str]]]:
        """Storylines sharing two or more entities of one of ``groups`` (two countries, or two
        people): (key, every entity of the groups it shares), most shared first, then the oldest.
        Found through their pairs of entities, so a country in thousands of storylines costs no
        more than a rare one."""
        pairs = entity_pairs(groups)
        if not pairs:
            return []
        every = sorted({e for group in groups for e in group})
        shared: dict[str, set[str]] = {}
        order: dict[str, int] = {}
        for key, rowid, entity in self._all(
            "SELECT s.key, s.rowid, e.entity_id FROM storyline_entities e JOIN storylines s ON s.id = e.storyline_id "
            "WHERE e.entity_id = ANY(%s) AND e.storyline_id IN (SELECT p.storyline_id FROM storyline_pairs p "
            "JOIN unnest(%s::text[], %s::text[]) AS q(a, b) ON p.a = q.a AND p.b = q.b)",
            (every, [a for a, _ in pairs], [b for _, b in pairs]),
        ):
            shared.setdefault(key, set()).add(entity)
            order[key] = rowid
        return sorted(shared.items(), key=lambda kv: (-len(kv[1]), order[kv[0]]))

    def set_storyline(self, cluster_id: str, storyline_id: str) -> None:
        self._run("UPDATE clusters SET storyline = %s WHERE id = %s", (storyline_id, cluster_id))

    def add_person_countries(self, pairs: dict[str, tuple[str, str]]) -> None:
        """One more article introduces each person (id) with a country (id, name)."""
        self._many(
            "INSERT INTO person_countries VALUES (%s, %s, %s, 1) ON CONFLICT (person, country) DO UPDATE SET "
            "documents = person_countries.documents + 1",
            [(person, country, name) for person, (country, name) in pairs.items()],
        )

    def person_countries(self, people: Sequence[str]) -> dict[str, tuple[str, str]]:
        """The country each of ``people`` is most often introduced with, where any article did."""
        out: dict[str, tuple[str, str]] = {}
        if not people:
            return out
        for person, country, name in self._all(
            "SELECT person, country, name FROM person_countries WHERE person = ANY(%s) "
            "ORDER BY documents, country DESC",
            (list(people),),
        ):
            out[person] = (country, name)  # the most frequent comes last
        return out

    def placement_version(self) -> str | None:
        value = self._value("SELECT value FROM settings WHERE name = 'placement_version'")
        return str(value) if value is not None else None

    def reset_placements(self, version: str) -> None:
        """Forget every placement, happening, storyline, profile and vector (made by another
        placement version), so that every annotated document is placed again; record ``version``."""
        with self._atomic():
            for table in (
                "document_clusters", "cluster_members", "cluster_keys", "cluster_entities", "clusters", "storylines",
                "storyline_entities", "storyline_pairs", "document_profiles", "term_frequencies", "document_vectors",
                "person_countries",
            ):  # fmt: skip
                self._run(f"DELETE FROM {table}")
            self._run("DELETE FROM settings WHERE name IN ('profiled_documents', 'cluster_max_span_days')")
            self._count_vector_removal()
            self._run(
                "INSERT INTO settings VALUES ('placement_version', %s) "
                "ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                (version,),
            )

    def cluster_state(self, cluster_id: str) -> ClusterState | None:
        row = self._one(f"SELECT {_CLUSTER_COLUMNS} FROM clusters WHERE id = %s", (cluster_id,))
        return _state(row) if row is not None else None

    def save_cluster_state(self, state: ClusterState) -> None:
        """Write back what matching keeps of a happening (after a merge): its parties, days, status."""
        with self._atomic():
            self._run(
                'UPDATE clusters SET actors = %s, countries = %s, start = %s, "end" = %s, granularity = %s, '
                "status = %s, country = coalesce(country, %s), storyline = coalesce(storyline, %s) WHERE id = %s",
                (
                    json.dumps(state.actors, ensure_ascii=False), json.dumps(state.countries, ensure_ascii=False),
                    _iso(state.start), _iso(state.end), state.granularity, state.status, state.country,
                    state.storyline, state.id,
                ),
            )  # fmt: skip
            self._many(
                "INSERT INTO cluster_entities VALUES (%s, %s) ON CONFLICT DO NOTHING",
                [(entity_id, state.id) for entity_id in sorted({*state.actors, *state.countries})],
            )
            # a merged happening is filed under every party it now has, from its first day as it is
            # now (the other's keys came under its own family and days); one saved with none keeps none
            if self._all("SELECT 1 FROM cluster_keys WHERE cluster_id = %s LIMIT 1", (state.id,)):
                self._file(state, state_keys(state))

    def describe_happening(
        self, cluster_id: str, kind: str, subtype: str | None, label: str | None, place: dict[str, Any] | None
    ) -> None:
        """Write what the votes over a happening's events chose: its kind, its title (unchanged
        when None) and its place (unchanged when None)."""
        p = place or {}
        self._run(
            "UPDATE clusters SET type = %(kind)s, subtype = %(subtype)s, label = coalesce(%(label)s, label), "
            "place = coalesce(%(name)s, place), "
            "country = CASE WHEN %(name)s::text IS NULL THEN country ELSE %(country)s END, "
            "lat = coalesce(%(lat)s, lat), lon = coalesce(%(lon)s, lon) WHERE id = %(id)s",
            {
                "kind": kind, "subtype": subtype, "label": label, "name": p.get("name"), "country": p.get("country"),
                "lat": p.get("lat"), "lon": p.get("lon"), "id": cluster_id,
            },
        )  # fmt: skip

    def set_happening_confidence(self, cluster_id: str, confidence: float, tentative: bool) -> None:
        self._run(
            "UPDATE clusters SET confidence = %s, tentative = %s WHERE id = %s",
            (confidence, int(tentative), cluster_id),
        )

    def happening_support(self, cluster_id: str) -> tuple[int, int]:
        """How many articles report a happening (with an event of theirs in it, or placed in it),
        and how many of them mainly report it (placed in it)."""
        row = self._one(
            "SELECT count(DISTINCT doc_rowid), count(DISTINCT doc_rowid) FILTER (WHERE main) FROM ("
            "SELECT doc_rowid, false AS main FROM cluster_members WHERE cluster_id = %(id)s UNION ALL "
            "SELECT doc_rowid, true FROM document_clusters WHERE cluster_id = %(id)s) AS s",
            {"id": cluster_id},
        )
        return (int(row[0]), int(row[1])) if row else (0, 0)

    def happening_evidence(self, cluster_id: str) -> list[HappeningEvidence]:
        """The member events of a happening, for the votes that describe it."""
        return [
            HappeningEvidence(
                r[0], r[1], r[2], float(r[3]), r[4], r[5], _float(r[6]), _float(r[7]), r[8], int(r[9] or 1)
            )
            for r in self._all(
                "SELECT e.type, e.subtype, m.status, e.confidence, p->>'name', p->>'country', "
                "(p->>'lat')::double precision, (p->>'lon')::double precision, p->>'kind', "
                "json_array_length((e.data::json)->'mentions') "
                "FROM cluster_members m JOIN events e ON e.id = m.event_id, "
                "LATERAL (SELECT (e.data::json)->'place' AS p) AS x WHERE m.cluster_id = %s ORDER BY m.rowid",
                (cluster_id,),
            )
        ]

    # -- document profiles (what the happening model reads) and term frequencies ---------------
    def add_profile(self, doc_id: str, data: dict[str, Any]) -> None:
        """Keep a document's profile; its terms count once more in the document frequencies
        (once per document: a profile written again does not count twice)."""
        with self._atomic():
            row = self._one(
                "SELECT d.rowid, p.doc_rowid FROM documents d LEFT JOIN document_profiles p "
                "ON p.doc_rowid = d.rowid WHERE d.id = %s",
                (doc_id,),
            )
            if row is None:
                return
            self._run(
                "INSERT INTO document_profiles VALUES (%s, %s) "
                "ON CONFLICT (doc_rowid) DO UPDATE SET data = excluded.data",
                (row[0], json.dumps(data, ensure_ascii=False)),
            )
            if row[1] is None:
                self._many(
                    "INSERT INTO term_frequencies VALUES (%s, 1) ON CONFLICT (term) DO UPDATE SET "
                    "documents = term_frequencies.documents + 1",
                    [(t,) for t in data.get("terms", {})],
                )
                self._run(
                    "INSERT INTO settings VALUES ('profiled_documents', '1') ON CONFLICT (name) DO UPDATE SET "
                    "value = (settings.value::bigint + 1)::text"
                )

    def happening_profiles(
        self, cluster_ids: Sequence[str], limit: int, model: str
    ) -> dict[str, list[tuple[str, str, bytes | None]]]:
        """For each happening, the profiles (JSON text) and vectors of ``model`` of its latest
        ``limit`` documents (:data:`~storyline.store.rows.HAPPENING_PROFILES`)."""
        query = HAPPENING_PROFILES.format(p="%s")
        return {c: member_profiles(self._all(query, (c, limit, model))) for c in dict.fromkeys(cluster_ids)}

    def term_frequencies(self, terms: Iterable[str]) -> tuple[int, dict[str, int]]:
        """How many documents have a profile, and in how many of them each term appears."""
        profiled = self._value("SELECT value FROM settings WHERE name = 'profiled_documents'")
        out = dict.fromkeys(terms, 0)
        if out:
            for term, n in self._all("SELECT term, documents FROM term_frequencies WHERE term = ANY(%s)", (list(out),)):
                out[term] = int(n)
        return (int(profiled) if profiled is not None else 0), out

    # -- document vectors ---------------------------------------------------------------------
    def add_vector(self, doc_id: str, model: str, vector: np.ndarray) -> bool:
        """Keep a document's vector of ``model``, in place of any it had (one per document): one of
        another model it replaces counts as removed (:meth:`vector_state`). True when it replaced
        one of the same model (the document placed again): a happening index holding the old one
        must be told (:meth:`storyline.cluster.Clusterer.place_many`)."""
        with self._atomic():
            row = self._one(
                "SELECT d.rowid, v.model FROM documents d LEFT JOIN document_vectors v ON v.doc_rowid = d.rowid "
                "WHERE d.id = %s",
                (doc_id,),
            )
            if row is None:
                return False
            if row[1] is not None and row[1] != model:
                self._count_vector_removal()
            self._run(
                "INSERT INTO document_vectors VALUES (%s, %s, %s) "
                "ON CONFLICT (doc_rowid) DO UPDATE SET model = excluded.model, vector = excluded.vector",
                (row[0], model, np.asarray(vector, dtype=np.float32).tobytes()),
            )
            return bool(row[1] == model)

    def _count_vector_removal(self) -> None:
        self._run(
            "INSERT INTO settings VALUES ('vector_removals', '1') ON CONFLICT (name) DO UPDATE SET "
            "value = (settings.value::bigint + 1)::text"
        )

    def vectors(
        self, model: str, dim: int | None = None, ids: Sequence[str] | None = None
    ) -> tuple[list[str], np.ndarray, list[str]]:
        """Stored document vectors of ``model`` (of the documents ``ids`` only, when given):
        document ids and an (n, dim) array in the order they were stored, and the ids of documents
        whose stored vector is damaged (not ``dim`` 32-bit floats), left out."""
        if ids is None:
            found: Iterable[tuple[Any, ...]] = self._stream(
                "SELECT d.id, v.vector FROM document_vectors v JOIN documents d ON d.rowid = v.doc_rowid "
                "WHERE v.model = %s ORDER BY v.doc_rowid",
                (model,),
            )
        else:
            found = self._all(
                "SELECT d.id, v.vector FROM document_vectors v JOIN documents d ON d.rowid = v.doc_rowid "
                "WHERE v.model = %s AND d.id = ANY(%s) ORDER BY v.doc_rowid",
                (model, list(dict.fromkeys(ids))),
            )
        return vectors_from_rows(found, dim)

    def vector_ids(self, model: str) -> list[str]:
        """The documents that have a stored vector of ``model``, in the order they were stored."""
        return [r[0] for r in self._stream(
            "SELECT d.id FROM document_vectors v JOIN documents d ON d.rowid = v.doc_rowid WHERE v.model = %s "
            "ORDER BY v.doc_rowid",
            (model,),
        )]  # fmt: skip

    def vectors_after(self, model: str, after: int, dim: int | None = None) -> tuple[list[str], np.ndarray, list[str]]:
        """As :meth:`vectors`, of the documents whose rowid is above ``after`` only."""
        return vectors_from_rows(
            self._stream(
                "SELECT d.id, v.vector FROM document_vectors v JOIN documents d ON d.rowid = v.doc_rowid "
                "WHERE v.model = %s AND v.doc_rowid > %s ORDER BY v.doc_rowid",
                (model, after),
            ),
            dim,
        )

    def vector_state(self, model: str) -> tuple[int, int, int]:
        """How many stored vectors of ``model`` there are, the highest document rowid among them
        (0: none), and how many vectors of any model were ever removed (replaced by one of another
        model, or reset): what tells whether a copy of them is still whole (read from the index
        of document_vectors on (model, doc_rowid) alone)."""
        row = self._one(
            "SELECT count(*), coalesce(max(doc_rowid), 0), "
            "(SELECT value FROM settings WHERE name = 'vector_removals') FROM document_vectors WHERE model = %s",
            (model,),
        )
        assert row is not None
        return int(row[0]), int(row[1]), int(row[2] or 0)

    def store_id(self) -> str:
        """This store's identity, made on first asking (a random hex string kept in its settings,
        not copied by ``storyline copy``): what caches of it are kept under."""
        self._run("INSERT INTO settings VALUES ('store_id', %s) ON CONFLICT (name) DO NOTHING", (uuid.uuid4().hex,))
        return str(self._value("SELECT value FROM settings WHERE name = 'store_id'"))

    # -- reading ------------------------------------------------------------------------------
    def clusters(
        self, which: HappeningFilter | None = None, *, limit: int | None = 50, offset: int = 0
    ) -> list[EventCluster]:
        """Happenings in date order (undated ones last), with their sources: those ``which``
        picks (tentative ones only when it asks for them)."""
        where, params = happening_where(which or HappeningFilter(), self.max_span(), postgres=True)
        sql = f"SELECT {_CLUSTER_COLUMNS} FROM clusters"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY start NULLS LAST, id"
        if limit is not None:
            sql += " LIMIT %s OFFSET %s"
            params += [limit, offset]
        rows = self._all(sql, params)
        sources = self._sources([r[0] for r in rows])
        return [_cluster(r, sources.get(r[0], [])) for r in rows]

    def max_span(self) -> int:
        """The most days any stored happening spans."""
        value = self._value("SELECT value FROM settings WHERE name = 'cluster_max_span_days'")
        return int(value) if value is not None else 0

    def _sources(self, ids: Sequence[str]) -> dict[str, list[ClusterSource]]:
        """Per happening, its articles: each event mention with its evidence sentence, then the
        articles placed there by their nearest neighbours (with their opening as evidence)."""
        out: dict[str, list[ClusterSource]] = defaultdict(list)
        if not ids:
            return out
        for cluster_id, doc_id, event_id, status, title, published, evidence in self._all(
            "SELECT m.cluster_id, d.id, m.event_id, m.status, d.title, d.published, "
            "substr(d.text, ((e.data::json)->'sentence'->>'start')::integer + 1, "
            "((e.data::json)->'sentence'->>'end')::integer - ((e.data::json)->'sentence'->>'start')::integer) "
            "FROM cluster_members m JOIN documents d ON d.rowid = m.doc_rowid "
            "LEFT JOIN events e ON e.id = m.event_id WHERE m.cluster_id = ANY(%s) "
            "ORDER BY m.cluster_id, d.published NULLS FIRST, d.id, e.start NULLS FIRST, e.id NULLS FIRST",
            (list(ids),),
        ):
            sentence = " ".join((evidence or "").split()) or None
            out[cluster_id].append(ClusterSource(doc_id, event_id, status, title, sentence, published))
        # articles placed here by their nearest neighbours, with no event of their own in it
        for cluster_id, doc_id, title, published, opening in self._all(
            "SELECT c.cluster_id, d.id, d.title, d.published, substr(d.text, 1, 300) FROM document_clusters c "
            "JOIN documents d ON d.rowid = c.doc_rowid WHERE c.cluster_id = ANY(%s) "
            "AND NOT EXISTS (SELECT 1 FROM cluster_members m WHERE m.cluster_id = c.cluster_id "
            "AND m.doc_rowid = c.doc_rowid) ORDER BY c.cluster_id, d.published NULLS FIRST, d.id",
            (list(ids),),
        ):
            text = " ".join(opening.split())
            out[cluster_id].append(ClusterSource(doc_id, None, "similar", title, text, published))
        return out

    def storylines(self, limit: int | None = 50, offset: int = 0) -> list[StorylineRecord]:
        sql = (
            'SELECT s.id, s.label, s.entities, min(c.start), max(c."end"), count(DISTINCT c.id), '
            "count(DISTINCT m.doc_rowid) FROM storylines s JOIN clusters c ON c.storyline = s.id AND c.tentative = 0 "
            "LEFT JOIN cluster_members m ON m.cluster_id = c.id GROUP BY s.id "
            "ORDER BY count(DISTINCT c.id) DESC, min(c.start) NULLS FIRST, s.id"
        )
        params: list[Any] = []
        if limit is not None:
            sql += " LIMIT %s OFFSET %s"
            params = [limit, offset]
        rows = self._all(sql, params)
        return [StorylineRecord(r[0], r[1], json.loads(r[2]), r[3], r[4], int(r[5]), int(r[6])) for r in rows]

    def document_clusters(self) -> dict[str, tuple[str | None, str | None]]:
        """Document id -> (its happening, that happening's storyline)."""
        return {
            r[0]: (r[1], r[2])
            for r in self._all(
                "SELECT d.id, c.cluster_id, k.storyline FROM document_clusters c "
                "JOIN documents d ON d.rowid = c.doc_rowid LEFT JOIN clusters k ON k.id = c.cluster_id"
            )
        }

    def event_clusters(self, doc_id: str) -> dict[str, str]:
        """Event id -> cluster id, for one document's events."""
        return {
            r[0]: r[1]
            for r in self._all(
                "SELECT m.event_id, m.cluster_id FROM cluster_members m JOIN documents d ON d.rowid = m.doc_rowid "
                "WHERE d.id = %s",
                (doc_id,),
            )
        }

    def forget_clustering(self, doc_rowid: int) -> None:
        """A document annotated anew is clustered anew; happenings it alone held go with it."""
        with self._atomic():
            held = {
                r[0]
                for r in self._all(
                    "SELECT cluster_id FROM cluster_members WHERE doc_rowid = %(rowid)s UNION "
                    "SELECT cluster_id FROM document_clusters WHERE doc_rowid = %(rowid)s AND cluster_id IS NOT NULL",
                    {"rowid": doc_rowid},
                )
            }
            self._run("DELETE FROM cluster_members WHERE doc_rowid = %s", (doc_rowid,))
            self._run("DELETE FROM document_clusters WHERE doc_rowid = %s", (doc_rowid,))
            for cid in sorted(held):
                if self._one(
                    "SELECT 1 FROM cluster_members WHERE cluster_id = %(id)s UNION ALL "
                    "SELECT 1 FROM document_clusters WHERE cluster_id = %(id)s LIMIT 1",
                    {"id": cid},
                ):
                    continue
                self._run("DELETE FROM clusters WHERE id = %s", (cid,))
                self._run("DELETE FROM cluster_keys WHERE cluster_id = %s", (cid,))
                self._run("DELETE FROM cluster_entities WHERE cluster_id = %s", (cid,))


def _float(value: Any) -> float | None:
    return float(value) if value is not None else None


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None


def _state(r: Sequence[Any]) -> ClusterState:
    row = dict(zip(_NAMES, r, strict=True))
    return ClusterState(
        id=row["id"],
        family=row["family"],
        actors=json.loads(row["actors"]),
        start=date.fromisoformat(row["start"]) if row["start"] else None,
        end=date.fromisoformat(row["end"]) if row["end"] else None,
        granularity=row["granularity"],
        country=row["country"],
        status=row["status"],
        countries=json.loads(row["countries"]),
        storyline=row["storyline"],
    )


def _cluster(r: Sequence[Any], sources: list[ClusterSource]) -> EventCluster:
    return cluster_from_row(dict(zip(_NAMES, r, strict=True)), sources)
