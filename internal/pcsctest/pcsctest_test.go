package pcsctest

import (
	"bytes"
	"path/filepath"
	"testing"

	"github.com/uiccsim/uiccsim/apdu"
	"github.com/uiccsim/uiccsim/apdu/pcsc"
)

// atrCard answers every command with its own ATR's last byte and 9000, so
// a test can tell two cards apart through the reader.
type atrCard struct{ atr []byte }

func (c atrCard) Transmit(dst, _ []byte) ([]byte, error) {
	return apdu.AppendResponse(dst, c.atr[len(c.atr)-1:], apdu.SWOK), nil
}
func (c atrCard) Reset(bool) ([]byte, error) { return c.atr, nil }
func (c atrCard) Close() error               { return nil }

func TestTwoCardsGetTwoReaders(t *testing.T) {
	cards := []atrCard{{[]byte{0x3B, 0x02, 0x14, 0x01}}, {[]byte{0x3B, 0x02, 0x14, 0x02}}}
	readers := make([]string, len(cards))
	for i, card := range cards {
		readers[i] = Serve(t, card)
	}
	if readers[0] == readers[1] {
		t.Fatalf("both cards served in %q", readers[0])
	}
	for i, r := range readers {
		c, err := pcsc.Dial(r, pcsc.Any)
		if err != nil {
			t.Fatalf("Dial(%q): %v", r, err)
		}
		atr, err := c.ATR()
		if err != nil || !bytes.Equal(atr, cards[i].atr) {
			t.Errorf("%q: ATR %X, %v; want card %d's %X", r, atr, err, i, cards[i].atr)
		}
		rsp, err := c.Transmit(nil, []byte{0x00, 0xA4, 0x00, 0x00})
		if err != nil || !bytes.Equal(rsp, []byte{cards[i].atr[3], 0x90, 0x00}) {
			t.Errorf("%q: answer %X, %v; want card %d's", r, rsp, err, i)
		}
		c.Close()
	}
}

func TestSlotLockExcludesWithinOneProcess(t *testing.T) {
	path := filepath.Join(t.TempDir(), "slot.lock")
	unlock, ok := tryLock(path)
	if !ok {
		t.Fatal("first lock refused")
	}
	if _, ok := tryLock(path); ok {
		t.Fatal("second lock on the same file granted while the first is held")
	}
	unlock()
	unlock2, ok := tryLock(path)
	if !ok {
		t.Fatal("lock refused after release")
	}
	unlock2()
}
