package sealed

import (
	"encoding/binary"
	"path/filepath"
	"testing"
)

func BenchmarkSealOpen(b *testing.B) {
	tx := memTx(b)
	pt := make([]byte, 100)
	bucket, key := []byte("k/pairs"), []byte("89860000000000000001\x00\x01")
	blob, _ := tx.seal(nil, 1, bucket, key, nil, pt)
	buf := make([]byte, 0, 256)
	b.ReportAllocs()
	for b.Loop() {
		out, err := tx.open(buf[:0], blob, 1, bucket, key, nil)
		if err != nil || len(out) != 100 {
			b.Fatal(err)
		}
		buf, _ = tx.seal(buf[:0], 1, bucket, key, nil, pt)
	}
}

func benchmarkPutCommit(b *testing.B, noSync bool) {
	s, err := Open(filepath.Join(b.TempDir(), "b.db"), testKey(b, 1), &Options{NoSync: noSync})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	pt := make([]byte, 100)
	var i uint32
	b.ReportAllocs()
	for b.Loop() {
		i++
		if err := s.Update(func(tx *Tx) error {
			return tx.Put("b", binary.BigEndian.AppendUint32(nil, i), 1, pt)
		}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPutCommitNoSync(b *testing.B) { benchmarkPutCommit(b, true) }
func BenchmarkPutCommitFsync(b *testing.B)  { benchmarkPutCommit(b, false) }
