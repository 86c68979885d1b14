package procedure

import (
	"fmt"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/uiccsim/uiccsim/apdu"
	"github.com/uiccsim/uiccsim/keystore"
	"github.com/uiccsim/uiccsim/keystore/escrow"
	"github.com/uiccsim/uiccsim/keystore/operator"
	"github.com/uiccsim/uiccsim/keystore/sealed"
	"github.com/uiccsim/uiccsim/usim"
)

// benchWorld is newWorld without the testing.T helpers' per-test dirs,
// sized b.N, with the stores' fsync as asked.
func benchWorld(b *testing.B, n int, fsync bool) (*escrow.Escrow, *operator.Operator, *operator.Operator, []escrow.ICCID, map[escrow.ICCID]*usim.Terminal) {
	b.Helper()
	dir := b.TempDir()
	o := &sealed.Options{NoSync: !fsync}
	e, err := escrow.Open(filepath.Join(dir, "escrow.db"), master(b), o)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = e.Close() })
	var ops [2]*operator.Operator
	for i := range ops {
		id := escrow.OperatorID(fmt.Sprintf("MNO-%c", 'A'+i))
		op, err := operator.Open(filepath.Join(dir, string(id)+".db"), master(b), operator.Config{ID: id, PLMN: fmt.Sprintf("0010%d", i+1)}, o)
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { _ = op.Close() })
		if err := op.Register(e); err != nil {
			b.Fatal(err)
		}
		ops[i] = op
	}
	ids := make([]escrow.ICCID, n)
	for i := range ids {
		ids[i], _ = escrow.NewICCID(fmt.Sprintf("8988211%011d", i))
	}
	imsis, _ := ops[0].AllocateIMSIs(n)
	devs := make(map[escrow.ICCID]*usim.Terminal, n)
	k := 0
	rel, err := e.Personalise(escrow.Batch{ICCIDs: ids, Pairs: 2, Initial: ops[0].ID(), TxCards: 4096}, func(c escrow.ICCID, l *keystore.List) error {
		d, err := NewDevice(c, imsis[k], l)
		k++
		devs[c] = d
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	if err := ops[0].Onboard(&rel, imsis); err != nil {
		b.Fatal(err)
	}
	if err := ops[0].Sync(); err != nil {
		b.Fatal(err)
	}
	return e, ops[0], ops[1], ids, devs
}

// benchSwitch3b times the full 3b switch of b.N devices on one worker:
// SWITCH over OTA with its PoR and the card's REFRESH (UICC reset and
// re-activation by the terminal), the report to the escrow, the release of
// pair 1 to B and B's onboarding (batched per perRun devices: one escrow
// transaction for the reports, one for the releases, one Sync per
// operator), and B's re-authentication of the device (attach with the IMSI
// the terminal read after the REFRESH, AKA with Milenage). The AuC SEQ that
// attach advances reaches B's store at B's next Sync (operator.Open skips
// ahead by Reserve, so it need not be synced per vector).
func benchSwitch3b(b *testing.B, fsync bool, perRun int) {
	e, A, B, ids, devs := benchWorld(b, b.N, fsync)
	dial := func(id escrow.ICCID) (apdu.Transport, error) { return devs[id], nil }
	b.ReportAllocs()
	// Building the fleet leaves hundreds of megabytes of garbage and, often,
	// a collection of the whole fleet's heap still marking; finish it here
	// so that the timer measures the switches, not a setup-dependent share
	// of that cycle. (The collections the switches' own allocations cause
	// are amortised: each GC marks the live heap L and comes after another
	// L bytes allocated, so its cost per device scales with B/op.)
	runtime.GC()
	b.ResetTimer()
	cpu0 := cpuTime()
	for start := 0; start < len(ids); start += perRun {
		batch := ids[start:min(start+perRun, len(ids))]
		c, err := NewCampaign(Alt3b, A, B, e, batch, Options{Workers: 1})
		if err != nil {
			b.Fatal(err)
		}
		r, err := c.Run(dial)
		if err != nil || len(r.Moved) != len(batch) {
			b.Fatalf("moved %d of %d: %v %v", len(r.Moved), len(batch), err, r.Failures)
		}
		for _, id := range batch {
			if got, err := AttachDevice(B, devs[id]); err != nil || got != id {
				b.Fatalf("re-authentication of %s: %v", id, err)
			}
		}
	}
	b.StopTimer()
	if s := b.Elapsed().Seconds(); s > 0 {
		b.ReportMetric(float64(b.N)/s, "devices/s")
	}
	if cpu := cpuTime() - cpu0; cpu > 0 {
		b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N), "cpu-ns/op")
	}
}

// One campaign for the whole fleet, fsync off: the figure against the
// 20,000 devices/s target.
func BenchmarkSwitch3b(b *testing.B) { benchSwitch3b(b, false, 1<<30) }

// The same with fsync on: the batched commits pay a handful of fsyncs per
// campaign, whatever its size.
func BenchmarkSwitch3bFsyncBatched(b *testing.B) { benchSwitch3b(b, true, 1<<30) }

// fsync on and one campaign per device: four commits (A's records, the
// escrow's reports and releases, B's records), each fsynced, per device —
// what batching saves.
func BenchmarkSwitch3bFsyncPerDevice(b *testing.B) { benchSwitch3b(b, true, 1) }

// fsync off, one campaign per device: the commit cost without the disk.
func BenchmarkSwitch3bPerDevice(b *testing.B) { benchSwitch3b(b, false, 1) }
