package sealed

import (
	"bytes"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// Bucket name prefixes: the namespace of key-value buckets and of logs, so
// that Put and Delete can never address a log.
const (
	kvPrefix  = "k/"
	logPrefix = "l/"
	// MaxNameLen is the longest bucket or log name.
	MaxNameLen = 200
	// MaxKeyLen is the longest record key.
	MaxKeyLen = 1024
)

// Tx is a transaction of a Store, valid only inside the function passed to
// Update or View. Slices it returns are valid only until it ends.
type Tx struct {
	s    *Store
	tx   *bolt.Tx
	name [len(kvPrefix) + MaxNameLen]byte
	ad   []byte // scratch for additional data
	// heads caches the heads of the logs appended to in this transaction.
	heads map[string]*logHead
	// opened (then more) caches the bbolt buckets this transaction opened, so
	// a Put or Append does not look its bucket up (and copy its name) every
	// time; the first few live inside the Tx.
	opened [6]openBucket
	nopen  int
	more   []*openBucket
}

// openBucket is one entry of Tx.buckets: the bucket and a cursor that its
// lookups reuse (a bbolt Get or Delete builds a new cursor and grows its
// stack every time).
type openBucket struct {
	prefix string // kvPrefix or logPrefix
	name   string // the caller's name, without the prefix
	b      *bolt.Bucket
	c      *bolt.Cursor
}

// get returns the value of key in ob, nil if there is none (bbolt's
// Bucket.Get on the reused cursor).
func (ob *openBucket) get(key []byte) []byte {
	if ob.c == nil {
		ob.c = ob.b.Cursor()
	}
	k, v := ob.c.Seek(key)
	if !bytes.Equal(k, key) {
		return nil
	}
	return v
}

// del removes key from ob if it is there (bbolt's Bucket.Delete on the
// reused cursor).
func (ob *openBucket) del(key []byte) error {
	if ob.c == nil {
		ob.c = ob.b.Cursor()
	}
	k, _ := ob.c.Seek(key)
	if !bytes.Equal(k, key) {
		return nil
	}
	return ob.c.Delete()
}

// bucket returns the bucket prefix+name (full, as bucketName built it),
// creating it if create is set and it does not exist; nil if it does not
// exist.
func (t *Tx) bucket(prefix, name string, full []byte, create bool) (*openBucket, error) {
	for i := range t.nopen {
		if ob := &t.opened[i]; ob.prefix == prefix && ob.name == name {
			return ob, nil
		}
	}
	for _, ob := range t.more {
		if ob.prefix == prefix && ob.name == name {
			return ob, nil
		}
	}
	var b *bolt.Bucket
	if create {
		var err error
		if b, err = t.tx.CreateBucketIfNotExists(full); err != nil {
			return nil, err
		}
	} else if b = t.tx.Bucket(full); b == nil {
		return nil, nil
	}
	var ob *openBucket
	if t.nopen < len(t.opened) {
		ob = &t.opened[t.nopen]
		t.nopen++
	} else {
		ob = new(openBucket)
		t.more = append(t.more, ob)
	}
	*ob = openBucket{prefix: prefix, name: name, b: b}
	return ob, nil
}

func (t *Tx) bucketName(prefix, name string) ([]byte, error) {
	if len(name) == 0 || len(name) > MaxNameLen {
		return nil, fmt.Errorf("%w: bucket name of %d bytes, need 1..%d", ErrBadName, len(name), MaxNameLen)
	}
	n := copy(t.name[:], prefix)
	n += copy(t.name[n:], name)
	return t.name[:n], nil
}

func validKey(bucket []byte, key []byte) error {
	if len(key) == 0 || len(key) > MaxKeyLen {
		return fmt.Errorf("%w: key of %d bytes in %s, need 1..%d", ErrBadName, len(key), bucket, MaxKeyLen)
	}
	return nil
}

// Put seals plaintext as a record of kind under bucket/key, creating the
// bucket if needed and replacing any previous value.
func (t *Tx) Put(bucket string, key []byte, kind Kind, plaintext []byte) error {
	name, err := t.bucketName(kvPrefix, bucket)
	if err != nil {
		return err
	}
	if err := validKey(name, key); err != nil {
		return err
	}
	b, err := t.bucket(kvPrefix, bucket, name, true)
	if err != nil {
		return fmt.Errorf("sealed: bucket %s: %w", name, err)
	}
	// bbolt keeps the value until commit, so each blob is a fresh slice.
	blob, err := t.seal(make([]byte, 0, BlobOverhead+len(plaintext)), kind, name, key, nil, plaintext)
	if err != nil {
		return err
	}
	if err := b.b.Put(key, blob); err != nil {
		return fmt.Errorf("sealed: put %s/%x: %w", name, key, err)
	}
	return nil
}

// Get opens the record bucket/key, which must be of kind, and appends its
// plaintext to dst. It wraps ErrNotFound if there is no such record and
// ErrCorrupt if it does not authenticate.
func (t *Tx) Get(dst []byte, bucket string, key []byte, kind Kind) ([]byte, error) {
	name, err := t.bucketName(kvPrefix, bucket)
	if err != nil {
		return nil, err
	}
	b, _ := t.bucket(kvPrefix, bucket, name, false)
	if b == nil {
		return nil, fmt.Errorf("%w: %s/%x (no bucket)", ErrNotFound, name, key)
	}
	return t.open(dst, b.get(key), kind, name, key, nil)
}

// Has reports whether bucket/key holds a record, without opening it.
func (t *Tx) Has(bucket string, key []byte) bool {
	name, err := t.bucketName(kvPrefix, bucket)
	if err != nil {
		return false
	}
	b, _ := t.bucket(kvPrefix, bucket, name, false)
	return b != nil && b.get(key) != nil
}

// Delete removes bucket/key; deleting an absent record is not an error.
func (t *Tx) Delete(bucket string, key []byte) error {
	name, err := t.bucketName(kvPrefix, bucket)
	if err != nil {
		return err
	}
	b, _ := t.bucket(kvPrefix, bucket, name, false)
	if b == nil {
		return nil
	}
	if err := b.del(key); err != nil {
		return fmt.Errorf("sealed: delete %s/%x: %w", name, key, err)
	}
	return nil
}

// ForEach opens every record of bucket in key order, each of which must be
// of kind, and calls fn with its key and plaintext; both slices are reused
// and valid only during the call. Returning Stop from fn ends the walk
// without error.
func (t *Tx) ForEach(bucket string, kind Kind, fn func(key, plaintext []byte) error) error {
	name, err := t.bucketName(kvPrefix, bucket)
	if err != nil {
		return err
	}
	b := t.tx.Bucket(name)
	if b == nil {
		return nil
	}
	var buf []byte
	c := b.Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		pt, err := t.open(buf[:0], v, kind, name, k, nil)
		if err != nil {
			return err
		}
		buf = pt
		if err := fn(k, pt); err != nil {
			if err == Stop {
				return nil
			}
			return err
		}
	}
	return nil
}
