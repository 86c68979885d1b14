package escrow

import (
	"bytes"
	"errors"
	"os"
	"testing"
	"time"

	"github.com/uiccsim/uiccsim/keystore/sealed"
)

func TestAuditLogRecordsEveryOperationInOrder(t *testing.T) {
	f := newFixture(t, 300, 2, nil) // 3 registrations + 300 personalisations: more than one page
	c := f.iccid(t, 299)
	if _, err := f.e.Release(c, 1, f.B.id); !errors.Is(err, ErrNotOwner) {
		t.Fatal(err)
	}
	if err := f.e.ReportSwitch(c, f.A.id, f.B.id, 1); err != nil {
		t.Fatal(err)
	}
	if _, err := f.e.Release(c, 1, f.B.id); err != nil {
		t.Fatal(err)
	}
	var all []AuditEntry
	for a, err := range f.e.Audit(0) {
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, a)
	}
	if len(all) != 3+300+3 {
		t.Fatalf("audit log holds %d entries, want %d", len(all), 306)
	}
	for i, a := range all {
		if a.Seq != uint64(i+1) {
			t.Fatalf("entry %d has sequence %d", i, a.Seq)
		}
		if i > 0 && a.Time.Before(all[i-1].Time) {
			t.Errorf("entry %d is older than entry %d", i+1, i)
		}
	}
	if all[0].Event != EventRegister || all[0].Operator != f.A.id || all[0].Index != -1 {
		t.Errorf("first entry: %v", all[0])
	}
	if a := all[3]; a.Event != EventPersonalise || a.ICCID != f.iccid(t, 0) || a.Operator != f.A.id || a.Index != 0 {
		t.Errorf("first personalisation: %v", a)
	}
	tail := all[len(all)-3:]
	want := []AuditEntry{
		{Event: EventRelease, Refused: true, ICCID: c, Index: 1, Operator: f.B.id},
		{Event: EventSwitch, ICCID: c, Index: 1, Operator: f.A.id, To: f.B.id},
		{Event: EventRelease, ICCID: c, Index: 1, Operator: f.B.id},
	}
	for i, w := range want {
		g := tail[i]
		if g.Event != w.Event || g.Refused != w.Refused || g.ICCID != w.ICCID || g.Index != w.Index || g.Operator != w.Operator || g.To != w.To {
			t.Errorf("entry %d = %v, want %v", g.Seq, g, w)
		}
	}
	// Iteration from the middle, and stopping early.
	n := 0
	for a, err := range f.e.Audit(300) {
		if err != nil || a.Seq != uint64(300+n) {
			t.Fatalf("Audit(300) entry %d: %v %v", n, a, err)
		}
		if n++; n == 5 {
			break
		}
	}
	if n != 5 {
		t.Errorf("Audit(300) yielded %d entries before break", n)
	}
}

func TestAuditEntryEncodingRoundTrip(t *testing.T) {
	a := AuditEntry{Seq: 9, Time: time.Unix(1700000000, 123), Event: EventSwitch, Refused: true,
		ICCID: "8988211000000530082", Index: 254, Operator: "MNO-A", To: "MNO-B", Reason: "not the owner"}
	b := appendAudit(nil, &a)
	got, err := parseAudit(9, b)
	if err != nil {
		t.Fatal(err)
	}
	if !got.Time.Equal(a.Time) {
		t.Errorf("time %v, want %v", got.Time, a.Time)
	}
	got.Time = a.Time
	if got != a {
		t.Errorf("round trip: %v, want %v", got, a)
	}
	if again := appendAudit(nil, &got); !bytes.Equal(again, b) {
		t.Errorf("re-encoding differs")
	}
	for n := range len(b) {
		if _, err := parseAudit(9, b[:n]); !errors.Is(err, ErrMalformed) {
			t.Errorf("parseAudit of %d/%d bytes: %v", n, len(b), err)
		}
	}
	if s := a.String(); s != "#9 2023-11-14T22:13:20.000000123Z switch REFUSED iccid=8988211000000530082 index=254 operator=MNO-A to=MNO-B: not the owner" {
		t.Errorf("String() = %q", s)
	}
}

func TestAuditAnchorExposesARolledBackEscrow(t *testing.T) {
	f := newFixture(t, 2, 3, nil)
	c := f.iccid(t, 0)
	if err := f.e.Close(); err != nil {
		t.Fatal(err)
	}
	before, err := os.ReadFile(f.path)
	if err != nil {
		t.Fatal(err)
	}
	if f.e, err = Open(f.path, testMaster(1), nil); err != nil {
		t.Fatal(err)
	}
	if err := f.e.ReportSwitch(c, f.A.id, f.B.id, 1); err != nil {
		t.Fatal(err)
	}
	// B keeps the anchor with the pair it receives.
	if _, err := f.e.Release(c, 1, f.B.id); err != nil {
		t.Fatal(err)
	}
	anchor, err := f.e.AuditAnchor()
	if err != nil {
		t.Fatal(err)
	}
	if err := f.e.CheckAuditAnchor(anchor); err != nil {
		t.Fatalf("anchor on the live escrow: %v", err)
	}
	_ = f.e.Close()
	// Someone restores the file from before the switch: the card would
	// again "belong" to A. The file verifies, the anchor does not.
	if err := os.WriteFile(f.path, before, 0o600); err != nil {
		t.Fatal(err)
	}
	if f.e, err = Open(f.path, testMaster(1), nil); err != nil {
		t.Fatal(err)
	}
	if _, err := f.e.Verify(); err != nil {
		t.Fatalf("the restored file is self-consistent, Verify = %v", err)
	}
	if err := f.e.CheckAuditAnchor(anchor); !errors.Is(err, sealed.ErrCorrupt) {
		t.Errorf("anchor on the rolled-back escrow = %v, want sealed.ErrCorrupt", err)
	}
}
