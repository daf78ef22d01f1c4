package main

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/inlsearch/inlsearch/search"
	_ "modernc.org/sqlite" // the "sqlite" driver, with FTS5
)

// ftsEngine is SQLite FTS5 as a Datasette user would set it up: a passages
// table, an external-content FTS5 table over title, section and text with
// the porter tokenizer, and the tags in a side table. Totals, hits and
// facet counts are separate statements over the match set (GROUP BY per
// facet; a selected facet's counts use every filter but its own).
type ftsEngine struct{ db *sql.DB }

func ftsPath(dir string) string { return filepath.Join(dir, "fts5.db") }

var ftsSchema = []string{
	`PRAGMA journal_mode=WAL`,
	`PRAGMA synchronous=NORMAL`,
	`CREATE TABLE passages(rowid INTEGER PRIMARY KEY, id TEXT NOT NULL, url TEXT, title TEXT,
		section TEXT, text TEXT, published TEXT)`,
	`CREATE VIRTUAL TABLE fts USING fts5(title, section, text, content='passages',
		content_rowid='rowid', tokenize='porter unicode61')`,
	`CREATE TABLE tags(doc INTEGER NOT NULL, facet INTEGER NOT NULL, value TEXT NOT NULL,
		PRIMARY KEY(doc, facet, value)) WITHOUT ROWID`,
}

// ftsIndexes are created after the load, which is faster than keeping them up to date.
var ftsIndexes = []string{
	`CREATE UNIQUE INDEX passages_id ON passages(id)`,
	`CREATE INDEX tags_value ON tags(facet, value, doc)`,
	`CREATE INDEX passages_published ON passages(published DESC, title)`,
	`ANALYZE`,
}

func facetNum(f string) int {
	for i, x := range search.Facets {
		if x == f {
			return i
		}
	}
	return -1
}

func openSQLite(path string) (*sql.DB, error) {
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=cache_size(-65536)&_pragma=temp_store(MEMORY)&_pragma=busy_timeout(5000)")
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	db.SetMaxOpenConns(1)
	return db, nil
}

func (e *ftsEngine) Build(ctx context.Context, c *Corpus, dir string) (time.Duration, error) {
	t0 := time.Now()
	db, err := openSQLite(ftsPath(dir))
	if err != nil {
		return 0, err
	}
	defer func() { _ = db.Close() }()
	for _, s := range ftsSchema {
		if _, err := db.ExecContext(ctx, s); err != nil {
			return 0, fmt.Errorf("schema: %w", err)
		}
	}
	took := time.Since(t0)
	add, err := eachBatch(ctx, c, func(docs []search.Document) error { return e.insert(ctx, db, docs) })
	if err != nil {
		return 0, err
	}
	t0 = time.Now()
	for _, s := range ftsIndexes {
		if _, err := db.ExecContext(ctx, s); err != nil {
			return 0, fmt.Errorf("index: %w", err)
		}
	}
	if _, err := db.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		return 0, fmt.Errorf("checkpoint: %w", err)
	}
	if err := db.Close(); err != nil {
		return 0, fmt.Errorf("close: %w", err)
	}
	return took + add + time.Since(t0), nil
}

func (e *ftsEngine) insert(ctx context.Context, db *sql.DB, docs []search.Document) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer func() { _ = tx.Rollback() }()
	pass, err := tx.PrepareContext(ctx, `INSERT INTO passages(rowid, id, url, title, section, text, published) VALUES(?,?,?,?,?,?,?)`)
	if err != nil {
		return fmt.Errorf("prepare: %w", err)
	}
	fts, err := tx.PrepareContext(ctx, `INSERT INTO fts(rowid, title, section, text) VALUES(?,?,?,?)`)
	if err != nil {
		return fmt.Errorf("prepare: %w", err)
	}
	tags, err := tx.PrepareContext(ctx, `INSERT INTO tags(doc, facet, value) VALUES(?,?,?)`)
	if err != nil {
		return fmt.Errorf("prepare: %w", err)
	}
	for i := range docs {
		d := &docs[i]
		var num int64
		if _, err := fmt.Sscanf(d.ID, "p%d", &num); err != nil {
			return fmt.Errorf("id %s: %w", d.ID, err)
		}
		if _, err := pass.ExecContext(ctx, num, d.ID, d.URL, d.Title, d.Section, d.Text, d.Published.Format("2006-01-02")); err != nil {
			return fmt.Errorf("insert passage: %w", err)
		}
		if _, err := fts.ExecContext(ctx, num, d.Title, d.Section, d.Text); err != nil {
			return fmt.Errorf("insert fts: %w", err)
		}
		t := Tags{Organizations: d.Organizations, Countries: d.Countries, Regions: d.Regions,
			Topics: d.Topics, Type: d.Type, Years: d.Years}
		for _, f := range search.Facets {
			for _, v := range t.Values(f) {
				if _, err := tags.ExecContext(ctx, num, facetNum(f), v); err != nil {
					return fmt.Errorf("insert tag: %w", err)
				}
			}
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

func (e *ftsEngine) Open(dir string) error {
	db, err := openSQLite(ftsPath(dir))
	if err != nil {
		return err
	}
	e.db = db
	return nil
}

// filterSQL is the condition that col is tagged with every filter of fs
// but skip's. On the FTS5 table col is written +rowid: a bare rowid IN (…)
// is handed to FTS5, which then runs the MATCH once per listed rowid (ten
// times slower at 2,000 passages, and worse as lists grow).
func filterSQL(col string, fs []Filter, skip string) (string, []any) {
	var b strings.Builder
	var args []any
	for _, f := range fs {
		if f.Facet == skip {
			continue
		}
		b.WriteString(" AND " + col + " IN (SELECT doc FROM tags WHERE facet = ? AND value = ?)")
		args = append(args, facetNum(f.Facet), f.Value)
	}
	return b.String(), args
}

// matchSet is the SQL of the rowids that match q's text and every filter
// but skip's, with its arguments.
func matchSet(q Query, skip string) (string, []any) {
	if text := q.Text(); text != "" {
		cond, args := filterSQL("+rowid", q.Filters, skip)
		return "SELECT rowid FROM fts WHERE fts MATCH ?" + cond, append([]any{text}, args...)
	}
	for i, f := range q.Filters {
		if f.Facet == skip {
			continue
		}
		rest := append(append([]Filter(nil), q.Filters[:i]...), q.Filters[i+1:]...)
		cond, args := filterSQL("doc", rest, skip)
		return "SELECT doc FROM tags WHERE facet = ? AND value = ?" + cond,
			append([]any{facetNum(f.Facet), f.Value}, args...)
	}
	return "SELECT rowid FROM passages", nil
}

func (e *ftsEngine) Run(ctx context.Context, q Query) (Answer, error) {
	var a Answer
	set, args := matchSet(q, "")
	if err := e.db.QueryRowContext(ctx, "SELECT count(*) FROM ("+set+")", args...).Scan(&a.Total); err != nil {
		return a, fmt.Errorf("count: %w", err)
	}
	offset := (q.Page - 1) * PerPage
	var hits string
	var hargs []any
	if text := q.Text(); text != "" {
		cond, fargs := filterSQL("+fts.rowid", q.Filters, "")
		hits = `SELECT p.id, p.title, p.url, snippet(fts, 2, '<mark>', '</mark>', '…', 24)
			FROM fts JOIN passages p ON p.rowid = fts.rowid
			WHERE fts MATCH ?` + cond + ` ORDER BY fts.rank LIMIT ? OFFSET ?`
		hargs = append(append([]any{text}, fargs...), PerPage, offset)
	} else {
		hits = `SELECT id, title, url, '' FROM passages WHERE rowid IN (` + set + `)
			ORDER BY published DESC, title LIMIT ? OFFSET ?`
		hargs = append(append([]any(nil), args...), PerPage, offset)
	}
	if err := drain(e.db.QueryContext(ctx, hits, hargs...)); err != nil {
		return a, fmt.Errorf("hits: %w", err)
	}
	if !q.Facets {
		return a, nil
	}
	lists := map[string]map[string]int{}
	for _, f := range search.Facets {
		set, fargs := matchSet(q, f)
		fargs = append(append([]any{facetNum(f)}, fargs...), FacetSize)
		rows, err := e.db.QueryContext(ctx, `SELECT value, count(*) AS c FROM tags
			WHERE facet = ? AND doc IN (`+set+`) GROUP BY value ORDER BY c DESC, value LIMIT ?`, fargs...)
		if err != nil {
			return a, fmt.Errorf("facet %s: %w", f, err)
		}
		m := map[string]int{}
		for rows.Next() {
			var v string
			var c int
			if err := rows.Scan(&v, &c); err != nil {
				_ = rows.Close()
				return a, fmt.Errorf("facet %s: %w", f, err)
			}
			m[v] = c
		}
		if err := rows.Close(); err != nil {
			return a, fmt.Errorf("facet %s: %w", f, err)
		}
		lists[f] = m
	}
	a.Facets = facetAnswer(lists)
	return a, nil
}

// drain reads every row of a hits query, as a caller showing them would.
func drain(rows *sql.Rows, err error) error {
	if err != nil {
		return err
	}
	for rows.Next() {
		var id, title, u, snip string
		if err := rows.Scan(&id, &title, &u, &snip); err != nil {
			_ = rows.Close()
			return err
		}
	}
	if err := rows.Err(); err != nil {
		_ = rows.Close()
		return err
	}
	return rows.Close()
}

func (e *ftsEngine) Close() error {
	if e.db == nil {
		return nil
	}
	return e.db.Close()
}
