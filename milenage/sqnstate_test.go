package milenage

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"testing"
)

func TestSQNStateRoundTripsThroughItsEncoding(t *testing.T) {
	for bits := 0; bits <= MaxINDBits; bits++ {
		st, err := NewSQNState(bits)
		if err != nil {
			t.Fatal(err)
		}
		for i := range st.Len() {
			st.seq[i] = uint64(i*7919+1) & (uint64(MaxSQN) >> bits)
		}
		enc := st.Append([]byte("prefix"))
		if !bytes.HasPrefix(enc, []byte("prefix")) || len(enc)-6 != SQNStateSize(bits) {
			t.Fatalf("bits %d: encoding length %d, want %d", bits, len(enc)-6, SQNStateSize(bits))
		}
		got, err := ParseSQNState(enc[6:])
		if err != nil || got != st {
			t.Fatalf("bits %d: round trip: %v", bits, err)
		}
		var u SQNState
		mb, _ := st.MarshalBinary()
		if err := u.UnmarshalBinary(mb); err != nil || u != st {
			t.Fatalf("bits %d: Marshal/UnmarshalBinary: %v", bits, err)
		}
	}
	if _, err := NewSQNState(MaxINDBits + 1); !errors.Is(err, ErrParam) {
		t.Errorf("IND length %d accepted: %v", MaxINDBits+1, err)
	}
}

// withCRC recomputes the trailer so a test reaches the checks behind it.
func withCRC(b []byte) []byte {
	body := b[:len(b)-4]
	return binary.BigEndian.AppendUint32(body[:len(body):len(body)], crc32.ChecksumIEEE(body))
}

func TestParseSQNStateRejectsDamage(t *testing.T) {
	st, _ := NewSQNState(DefaultINDBits)
	st.seq[3] = 42
	good := st.Append(nil)
	mut := func(f func(b []byte) []byte) []byte { return f(bytes.Clone(good)) }
	tests := []struct {
		name string
		in   []byte
	}{
		{"empty", nil},
		{"one byte", []byte{1}},
		{"unknown version", withCRC(mut(func(b []byte) []byte { b[0] = 2; return b }))},
		{"IND length 7", withCRC(mut(func(b []byte) []byte { b[1] = 7; return b }))},
		{"IND length disagrees with size", withCRC(mut(func(b []byte) []byte { b[1] = 4; return b }))},
		{"truncated (torn write)", good[:len(good)-1]},
		{"trailing byte", append(bytes.Clone(good), 0)},
		{"flipped SEQ bit", mut(func(b []byte) []byte { b[2+6*3+5] ^= 1; return b })},
		{"flipped CRC bit", mut(func(b []byte) []byte { b[len(b)-1] ^= 1; return b })},
		{"SEQ wider than 43 bits", withCRC(mut(func(b []byte) []byte { b[2] = 0x08; return b }))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			keep := st
			err := st.UnmarshalBinary(tt.in)
			if !errors.Is(err, ErrState) {
				t.Fatalf("got %v, want ErrState", err)
			}
			if st != keep {
				t.Fatal("UnmarshalBinary changed the state on error")
			}
		})
	}
}

func TestSQNStateHighestIsLargestAcceptedSQN(t *testing.T) {
	st, _ := NewSQNState(DefaultINDBits)
	if st.Highest() != 0 {
		t.Fatalf("fresh state: %v", st.Highest())
	}
	st.seq[31], st.seq[2], st.seq[4] = 9, 10, 10
	if want := SQN(10<<5 | 4); st.Highest() != want {
		t.Fatalf("Highest = %v, want %v", st.Highest(), want)
	}
	if st.SEQ(-1) != 0 || st.SEQ(32) != 0 || st.SEQ(31) != 9 {
		t.Fatal("SEQ out of range must read 0")
	}
}
