package escrow

import (
	"testing"

	"github.com/uiccsim/uiccsim/keystore/sealed"
)

// benchmarkRelease measures one Release: a read-write transaction that
// opens the card and pair records, seals the pair to the operator
// (X25519 sealed box), signs it (Ed25519), appends the audit entry and
// commits — with or without fsync.
func benchmarkRelease(b *testing.B, noSync bool) {
	f := newFixture(b, 1, 4, &sealed.Options{NoSync: noSync})
	c := f.iccid(b, 0)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := f.e.Release(c, 0, f.A.id); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkReleaseNoSync(b *testing.B) { benchmarkRelease(b, true) }
func BenchmarkReleaseFsync(b *testing.B)  { benchmarkRelease(b, false) }

// BenchmarkOpenRelease is the operator's side: verify, open, decode.
func BenchmarkOpenRelease(b *testing.B) {
	f := newFixture(b, 1, 4, nil)
	r, err := f.e.Release(f.iccid(b, 0), 0, f.A.id)
	if err != nil {
		b.Fatal(err)
	}
	key := f.e.PublicKey()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := OpenRelease(&r, key, f.A.pub, f.A.priv); err != nil {
			b.Fatal(err)
		}
	}
}

// benchmarkPersonalise measures batch personalisation of 1,000 cards × 8
// pairs per op, in transactions of txCards cards, and reports cards/s.
func benchmarkPersonalise(b *testing.B, noSync bool, txCards int) {
	const cards, pairs = 1000, 8
	f := newFixture(b, 0, 0, &sealed.Options{NoSync: noSync})
	next := 0
	b.ReportAllocs()
	for b.Loop() {
		iccids := testICCIDs(b, next, cards)
		next += cards
		if _, err := f.e.Personalise(Batch{ICCIDs: iccids, Pairs: pairs, Initial: f.A.id, TxCards: txCards}, nil); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*cards)/b.Elapsed().Seconds(), "cards/s")
}

func BenchmarkPersonaliseNoSyncTx256(b *testing.B) { benchmarkPersonalise(b, true, 256) }
func BenchmarkPersonaliseFsyncTx256(b *testing.B)  { benchmarkPersonalise(b, false, 256) }
func BenchmarkPersonaliseFsyncTx1(b *testing.B)    { benchmarkPersonalise(b, false, 1) }

// benchmarkReleaseBatch measures a batch release of 1,000 cards switched to
// B — one transaction, 1,000 record opens and audit entries, one sealed
// box and one signature — and reports the cost per card.
func benchmarkReleaseBatch(b *testing.B, noSync bool) {
	const cards = 1000
	f := newFixture(b, cards, 2, &sealed.Options{NoSync: noSync})
	reqs := make([]Request, cards)
	for i := range reqs {
		reqs[i] = Request{ICCID: f.iccid(b, i), Index: 1}
		if err := f.e.ReportSwitch(reqs[i].ICCID, f.A.id, f.B.id, 1); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		rel, _, err := f.e.ReleaseBatch(f.B.id, reqs)
		if err != nil || rel.Count != cards {
			b.Fatal(rel, err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*cards), "ns/card")
	b.ReportMetric(float64(b.N*cards)/b.Elapsed().Seconds(), "cards/s")
}

func BenchmarkReleaseBatch1000NoSync(b *testing.B) { benchmarkReleaseBatch(b, true) }
func BenchmarkReleaseBatch1000Fsync(b *testing.B)  { benchmarkReleaseBatch(b, false) }

// benchmarkCampaign is the escrow's share of a 3b switch campaign for 1,000
// cards: A reports all switches to B in one transaction, B obtains all
// pairs in one batch release. It reports the escrow cost per device.
func benchmarkCampaign(b *testing.B, noSync bool) {
	const cards = 1000
	f := newFixture(b, 0, 0, &sealed.Options{NoSync: noSync})
	next := 0
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		iccids := testICCIDs(b, next, cards)
		next += cards
		if _, err := f.e.Personalise(Batch{ICCIDs: iccids, Pairs: 2, Initial: f.A.id, TxCards: cards}, nil); err != nil {
			b.Fatal(err)
		}
		reqs := make([]Request, cards)
		for i := range reqs {
			reqs[i] = Request{ICCID: iccids[i], Index: 1}
		}
		b.StartTimer()
		refusals, err := f.e.ReportSwitchBatch(f.A.id, f.B.id, reqs)
		if err != nil || refusals[0] != nil {
			b.Fatal(err, refusals[0])
		}
		rel, _, err := f.e.ReleaseBatch(f.B.id, reqs)
		if err != nil || rel.Count != cards {
			b.Fatal(rel, err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*cards), "ns/device")
	b.ReportMetric(float64(b.N*cards)/b.Elapsed().Seconds(), "devices/s")
}

func BenchmarkCampaign1000NoSync(b *testing.B) { benchmarkCampaign(b, true) }
func BenchmarkCampaign1000Fsync(b *testing.B)  { benchmarkCampaign(b, false) }
