package operator

import (
	"testing"
)

// The AuC's vector generation (TS 33.102 §6.3.2): RAND, SQN, Milenage f1–f5.
func BenchmarkVector(b *testing.B) {
	w := newWorld(b, 1, 1)
	c := w.cards[0]
	b.ReportAllocs()
	for b.Loop() {
		if _, err := w.A.Vector(c); err != nil {
			b.Fatal(err)
		}
	}
}

// Attach of a device to the operator: the IMSI it presents, a vector, the
// card's AUTHENTICATE (in-process emulated USIM) and the RES check.
func BenchmarkAttachIMSI(b *testing.B) {
	w := newWorld(b, 1, 1)
	c := w.cards[0]
	s, _ := w.A.Subscriber(c)
	cl := w.card(b, c, s.IMSI)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := w.A.AttachIMSI(cl, s.IMSI); err != nil {
			b.Fatal(err)
		}
	}
}

// Sync of changed records: the cost per record of one batched transaction
// (1,000 records per Sync, fsync off).
func BenchmarkSyncPerRecord(b *testing.B) {
	w := newWorld(b, 1000, 1)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i += 1000 {
		for _, c := range w.cards {
			if _, err := w.A.Vector(c); err != nil {
				b.Fatal(err)
			}
		}
		if err := w.A.Sync(); err != nil {
			b.Fatal(err)
		}
	}
}

// Sealing a 3a handover, per subscriber (1,000 per handover).
func BenchmarkSealHandoverPerSubscriber(b *testing.B) {
	w := newWorld(b, 1000, 1)
	imsis, _ := w.B.AllocateIMSIs(1000)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i += 1000 {
		h, err := w.A.SealHandover(w.B.ID(), w.B.PublicKey(), w.cards, imsis)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := w.B.OpenHandover(&h, w.A.PublicKey()); err != nil {
			b.Fatal(err)
		}
	}
}
