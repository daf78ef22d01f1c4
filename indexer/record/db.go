package record

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// FileName is the name of the record file in the data folder.
const FileName = "crawl.db"

// OpenTimeout bounds the wait for the file lock of the record.
const OpenTimeout = 2 * time.Second

var (
	bucketPages   = []byte("pages")   // URL → Record of the last published generation
	bucketStaging = []byte("staging") // URL → Record learned by the running crawl
)

// ErrLocked means another process holds the record file open.
var ErrLocked = errors.New("crawl record is locked by another process")

// DB is an open crawl record.
type DB struct {
	db *bolt.DB
}

// Open opens (or creates) the record at path, waiting at most OpenTimeout
// for its file lock, and empties the staging area left by a crawl that died.
func Open(path string) (*DB, error) {
	return open(path, OpenTimeout)
}

func open(path string, timeout time.Duration) (*DB, error) {
	b, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: timeout})
	if errors.Is(err, berrors.ErrTimeout) {
		return nil, fmt.Errorf("open %s: %w", path, ErrLocked)
	}
	if err != nil {
		return nil, fmt.Errorf("open crawl record %s: %w", path, err)
	}
	d := &DB{db: b}
	err = b.Update(func(tx *bolt.Tx) error {
		if _, err := tx.CreateBucketIfNotExists(bucketPages); err != nil {
			return err
		}
		if tx.Bucket(bucketStaging) != nil {
			if err := tx.DeleteBucket(bucketStaging); err != nil {
				return err
			}
		}
		_, err := tx.CreateBucket(bucketStaging)
		return err
	})
	if err != nil {
		_ = b.Close()
		return nil, fmt.Errorf("prepare crawl record %s: %w", path, err)
	}
	return d, nil
}

// ErrCorrupt means the record file is damaged.
var ErrCorrupt = errors.New("crawl record is damaged")

// OpenOrQuarantine opens the record at path; when the file is damaged (not
// merely locked or unreachable) it is renamed aside to path.corrupt-<time>,
// never deleted, and a new record is started: the next crawl then parses
// every page again. quarantined is the name it was moved to, if any.
func OpenOrQuarantine(path string, now time.Time) (d *DB, quarantined string, err error) {
	if err = checkSize(path); err == nil {
		d, err = Open(path)
	}
	damaged := errors.Is(err, ErrCorrupt) || errors.Is(err, berrors.ErrInvalid) ||
		errors.Is(err, berrors.ErrChecksum) || errors.Is(err, berrors.ErrVersionMismatch)
	if !damaged {
		return d, "", err
	}
	aside := path + ".corrupt-" + now.UTC().Format("20060102T150405Z")
	if rerr := os.Rename(path, aside); rerr != nil {
		return nil, "", fmt.Errorf("%w; move it aside: %w", err, rerr)
	}
	d, err = Open(path)
	return d, aside, err
}

// checkSize refuses a record file shorter than its metadata says: bbolt maps
// the file and would crash the process (SIGBUS) reading past its end.
func checkSize(path string) error {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("open crawl record %s: %w", path, err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil || fi.Size() == 0 {
		return nil // an empty file is initialised by bbolt
	}
	const (
		magic     = 0xED0CDAED
		metaStart = 16 // after the page header
	)
	// meta reads the meta page at off: its page size, high-water page id and
	// transaction id; ok is false when its magic is wrong.
	meta := func(off int64) (pageSize, pgid, txid uint64, ok bool) {
		b := make([]byte, metaStart+64)
		if _, err := f.ReadAt(b, off); err != nil {
			return 0, 0, 0, false
		}
		m := b[metaStart:]
		if binary.LittleEndian.Uint32(m[0:]) != magic {
			return 0, 0, 0, false
		}
		return uint64(binary.LittleEndian.Uint32(m[8:])), binary.LittleEndian.Uint64(m[40:]),
			binary.LittleEndian.Uint64(m[48:]), true
	}
	var best struct{ txid, need uint64 }
	ps, pgid, txid, ok := meta(0)
	if ok {
		best.txid, best.need = txid, pgid*ps
	} else {
		ps = uint64(os.Getpagesize())
	}
	if ps2, pgid2, txid2, ok2 := meta(int64(ps)); ok2 && (!ok || txid2 > best.txid) {
		best.txid, best.need = txid2, pgid2*ps2
		ok = true
	}
	if !ok {
		return fmt.Errorf("%s: %w: no valid meta page", path, ErrCorrupt)
	}
	if uint64(fi.Size()) < best.need {
		return fmt.Errorf("%s: %w: %d bytes, its metadata needs %d", path, ErrCorrupt, fi.Size(), best.need)
	}
	return nil
}

// Close closes the file.
func (d *DB) Close() error {
	if err := d.db.Close(); err != nil {
		return fmt.Errorf("close crawl record: %w", err)
	}
	return nil
}

// Metas reads the small part of every published record, keyed by URL.
func (d *DB) Metas() (map[string]Meta, error) {
	out := map[string]Meta{}
	err := d.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketPages).ForEach(func(k, v []byte) error {
			var r Record
			if err := json.Unmarshal(v, &r); err != nil {
				return fmt.Errorf("record %s: %w", k, err)
			}
			out[string(k)] = r.meta()
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("read crawl record: %w", err)
	}
	return out, nil
}

// Get returns the published record of url.
func (d *DB) Get(url string) (*Record, bool, error) {
	return d.get(bucketPages, url)
}

// Staged returns the record of url staged by the running crawl.
func (d *DB) Staged(url string) (*Record, bool, error) {
	return d.get(bucketStaging, url)
}

func (d *DB) get(bucket []byte, url string) (*Record, bool, error) {
	var r *Record
	err := d.db.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucket).Get([]byte(url))
		if v == nil {
			return nil
		}
		r = &Record{}
		return json.Unmarshal(v, r)
	})
	if err != nil {
		return nil, false, fmt.Errorf("read record %s: %w", url, err)
	}
	return r, r != nil, nil
}

// Stage stores records in the staging area. It is safe for concurrent use;
// concurrent calls share one transaction (bbolt's Batch).
func (d *DB) Stage(recs ...*Record) error {
	vals := make([][]byte, len(recs))
	for i, r := range recs {
		v, err := json.Marshal(r)
		if err != nil {
			return fmt.Errorf("encode record %s: %w", r.URL, err)
		}
		vals[i] = v
	}
	err := d.db.Batch(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketStaging)
		for i, r := range recs {
			if err := b.Put([]byte(r.URL), vals[i]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("stage records: %w", err)
	}
	return nil
}

// Unstage removes the staged records of urls.
func (d *DB) Unstage(urls []string) error {
	err := d.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketStaging)
		for _, u := range urls {
			if err := b.Delete([]byte(u)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("unstage records: %w", err)
	}
	return nil
}

// EachPublished calls fn for every published record, in URL order,
// stopping at the first error.
func (d *DB) EachPublished(fn func(*Record) error) error {
	return d.each(bucketPages, fn)
}

// EachStaged calls fn for every staged record, in URL order, stopping at
// the first error.
func (d *DB) EachStaged(fn func(*Record) error) error {
	return d.each(bucketStaging, fn)
}

func (d *DB) each(bucket []byte, fn func(*Record) error) error {
	return d.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucket).ForEach(func(k, v []byte) error {
			var r Record
			if err := json.Unmarshal(v, &r); err != nil {
				return fmt.Errorf("record %s: %w", k, err)
			}
			return fn(&r)
		})
	})
}

// promoteChunk is how many records one Promote transaction moves.
const promoteChunk = 512

// Promote makes the staged records the published ones, replacing those of
// the same URLs, and empties the staging area. It moves the records in
// chunks: a crash in between leaves some records one crawl behind, which the
// next crawl corrects (it asks again without matching validators).
func (d *DB) Promote() error {
	for {
		n := 0
		err := d.db.Update(func(tx *bolt.Tx) error {
			st, pg := tx.Bucket(bucketStaging), tx.Bucket(bucketPages)
			c := st.Cursor()
			for k, v := c.First(); k != nil && n < promoteChunk; k, v = c.First() {
				key, val := append([]byte(nil), k...), append([]byte(nil), v...)
				if err := pg.Put(key, val); err != nil {
					return err
				}
				if err := st.Delete(key); err != nil {
					return err
				}
				n++
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("promote crawl record: %w", err)
		}
		if n < promoteChunk {
			return nil
		}
	}
}

// Discard empties the staging area.
func (d *DB) Discard() error {
	err := d.db.Update(func(tx *bolt.Tx) error {
		if err := tx.DeleteBucket(bucketStaging); err != nil {
			return err
		}
		_, err := tx.CreateBucket(bucketStaging)
		return err
	})
	if err != nil {
		return fmt.Errorf("discard staged records: %w", err)
	}
	return nil
}
