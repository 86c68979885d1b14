package sealed

import (
	"bytes"
	"crypto/cipher"
	"crypto/rand"
	"errors"
	"fmt"
	"os"
	"time"

	bolt "go.etcd.io/bbolt"
	"golang.org/x/crypto/chacha20poly1305"
)

// Options tune how the bbolt file is opened.
type Options struct {
	// NoSync skips fsync at commit (bbolt DB.NoSync): a transaction is still
	// atomic against a process crash, but the last ones may be lost if the
	// machine loses power. For bulk loads and benchmarks.
	NoSync bool
	// Timeout bounds the wait for the file lock; zero means one second.
	Timeout time.Duration
	// ReadOnly opens the file shared and read-only; the store must exist.
	ReadOnly bool
}

// Store is a sealed key-value store in one bbolt file. It is safe for
// concurrent use; bbolt serialises writers.
type Store struct {
	db   *bolt.DB
	aead cipher.AEAD
}

var (
	metaBucket = []byte("m")
	saltKey    = []byte("salt")
	checkKey   = []byte("check")
)

// checkPlain is the known plaintext of the "check" record, which tells a
// wrong master key apart from a corrupt record.
const checkPlain = "uiccsim keystore/sealed v1"

// Open opens or creates the store at path under master. A new file gets a
// random salt and a check record; an existing one must open under master,
// else Open fails with ErrWrongKey.
func Open(path string, master *MasterKey, o *Options) (*Store, error) {
	if o == nil {
		o = &Options{}
	}
	bo := &bolt.Options{Timeout: o.Timeout, NoSync: o.NoSync, ReadOnly: o.ReadOnly}
	if bo.Timeout == 0 {
		bo.Timeout = time.Second
	}
	db, err := bolt.Open(path, 0o600, bo)
	if err != nil {
		return nil, fmt.Errorf("sealed: opening %s: %w", path, err)
	}
	s := &Store{db: db}
	if o.ReadOnly {
		err = db.View(func(tx *bolt.Tx) error { return s.unlock(tx, master) })
	} else {
		err = db.Update(func(tx *bolt.Tx) error { return s.unlock(tx, master) })
	}
	if err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("sealed: opening %s: %w", path, err)
	}
	return s, nil
}

// unlock derives the record key from the file's salt, creating salt and
// check record in a new file, and verifies the check record.
func (s *Store) unlock(tx *bolt.Tx, master *MasterKey) error {
	t := &Tx{s: s, tx: tx}
	meta := tx.Bucket(metaBucket)
	if meta == nil {
		if !tx.Writable() {
			return fmt.Errorf("%w: no meta bucket, not a sealed store", ErrCorrupt)
		}
		var err error
		if meta, err = tx.CreateBucket(metaBucket); err != nil {
			return err
		}
	}
	salt := meta.Get(saltKey)
	fresh := salt == nil
	if fresh {
		if !tx.Writable() {
			return fmt.Errorf("%w: no salt, not a sealed store", ErrCorrupt)
		}
		salt = make([]byte, 32)
		if _, err := rand.Read(salt); err != nil {
			return err
		}
		if err := meta.Put(saltKey, salt); err != nil {
			return err
		}
	}
	key, err := deriveRecordKey(master, salt)
	if err != nil {
		return err
	}
	s.aead, err = chacha20poly1305.NewX(key)
	clear(key)
	if err != nil {
		return err
	}
	if fresh {
		blob, err := t.seal(nil, kindMeta, metaBucket, checkKey, nil, []byte(checkPlain))
		if err != nil {
			return err
		}
		return meta.Put(checkKey, blob)
	}
	pt, err := t.open(nil, meta.Get(checkKey), kindMeta, metaBucket, checkKey, nil)
	if err != nil {
		if errors.Is(err, ErrCorrupt) {
			return fmt.Errorf("%w: the check record does not authenticate (or the file was tampered with)", ErrWrongKey)
		}
		return err
	}
	if string(pt) != checkPlain {
		return fmt.Errorf("%w: check record holds %q", ErrCorrupt, pt)
	}
	return nil
}

// seal appends the blob of plaintext, stored under bucket/key, to dst.
func (t *Tx) seal(dst []byte, kind Kind, bucket, key, prevTag, plaintext []byte) ([]byte, error) {
	t.ad = appendAD(t.ad[:0], kind, bucket, key, prevTag)
	off := len(dst)
	dst = append(dst, BlobVersion, byte(kind))
	dst = append(dst, make([]byte, chacha20poly1305.NonceSizeX)...)
	nonce := dst[off+2 : off+blobHeaderLen]
	if _, err := rand.Read(nonce); err != nil {
		return nil, fmt.Errorf("sealed: reading a nonce: %w", err)
	}
	return t.s.aead.Seal(dst, nonce, plaintext, t.ad), nil
}

// open authenticates and decrypts blob, stored under bucket/key, appending
// the plaintext to dst.
func (t *Tx) open(dst []byte, blob []byte, kind Kind, bucket, key, prevTag []byte) ([]byte, error) {
	if blob == nil {
		return nil, fmt.Errorf("%w: %s/%x", ErrNotFound, bucket, key)
	}
	b, err := ParseBlob(blob)
	if err != nil {
		return nil, fmt.Errorf("%s/%x: %w", bucket, key, err)
	}
	if b.Kind != kind {
		return nil, fmt.Errorf("%w: %s/%x is of kind %d, want %d", ErrCorrupt, bucket, key, b.Kind, kind)
	}
	t.ad = appendAD(t.ad[:0], kind, bucket, key, prevTag)
	out, err := t.s.aead.Open(dst, b.Nonce, b.Ciphertext, t.ad)
	if err != nil {
		return nil, fmt.Errorf("%w: %s/%x does not authenticate", ErrCorrupt, bucket, key)
	}
	return out, nil
}

// Update runs fn in a read-write transaction, committed if fn returns nil
// and rolled back otherwise: all of fn's writes land, or none.
func (s *Store) Update(fn func(*Tx) error) error {
	return s.db.Update(func(btx *bolt.Tx) error {
		tx := &Tx{s: s, tx: btx}
		if err := fn(tx); err != nil {
			return err
		}
		return tx.flushHeads()
	})
}

// View runs fn in a read-only transaction that sees one consistent state.
func (s *Store) View(fn func(*Tx) error) error {
	return s.db.View(func(tx *bolt.Tx) error { return fn(&Tx{s: s, tx: tx}) })
}

// Path returns the file's path.
func (s *Store) Path() string { return s.db.Path() }

// Close closes the file.
func (s *Store) Close() error { return s.db.Close() }

// Verify checks the whole file: bbolt's page structure (Tx.Check), that
// every value of every bucket authenticates, and that every log's chain is
// complete up to its head. It returns all problems found, joined.
func (s *Store) Verify() error {
	return s.db.View(func(btx *bolt.Tx) error {
		var errs []error
		for err := range btx.Check() {
			errs = append(errs, fmt.Errorf("%w: bbolt: %w", ErrCorrupt, err))
		}
		tx := &Tx{s: s, tx: btx}
		logs := map[string]bool{} // every log named by a head or a bucket
		err := btx.ForEach(func(name []byte, b *bolt.Bucket) error {
			switch {
			case bytes.Equal(name, metaBucket):
				return b.ForEach(func(k, v []byte) error {
					if bytes.Equal(k, saltKey) {
						return nil
					}
					if log, ok := bytes.CutPrefix(k, []byte("head/")); ok {
						logs[string(log)] = true
					}
					if _, err := tx.open(nil, v, kindMeta, metaBucket, k, nil); err != nil {
						errs = append(errs, err)
					}
					return nil
				})
			case bytes.HasPrefix(name, []byte(kvPrefix)):
				return b.ForEach(func(k, v []byte) error {
					blob, err := ParseBlob(v)
					if err == nil {
						_, err = tx.open(nil, v, blob.Kind, name, k, nil)
					}
					if err != nil {
						errs = append(errs, fmt.Errorf("%s/%x: %w", name, k, err))
					}
					return nil
				})
			case bytes.HasPrefix(name, []byte(logPrefix)):
				logs[string(name[len(logPrefix):])] = true
				return nil
			}
			errs = append(errs, fmt.Errorf("%w: unexpected bucket %q", ErrCorrupt, name))
			return nil
		})
		if err != nil {
			errs = append(errs, err)
		}
		for log := range logs {
			if err := tx.verifyLog(log); err != nil {
				errs = append(errs, err)
			}
		}
		return errors.Join(errs...)
	})
}

// Size returns the file's size in bytes.
func (s *Store) Size() (int64, error) {
	fi, err := os.Stat(s.db.Path())
	if err != nil {
		return 0, err
	}
	return fi.Size(), nil
}
