package vpcd

import (
	"bytes"
	"errors"
	"io"
	"testing"
)

func TestReadFrame(t *testing.T) {
	tests := []struct {
		name    string
		in      []byte
		bufLen  int
		want    []byte
		wantErr error
	}{
		{name: "control frame power on", in: []byte{0, 1, 1}, bufLen: 16, want: []byte{1}},
		{name: "command APDU", in: []byte{0, 5, 0x00, 0xA4, 0x00, 0x04, 0x00}, bufLen: 16, want: []byte{0x00, 0xA4, 0x00, 0x04, 0x00}},
		{name: "zero-length frame", in: []byte{0, 0}, bufLen: 16, want: []byte{}},
		{name: "clean end of stream is io.EOF", in: nil, bufLen: 16, wantErr: io.EOF},
		{name: "one length byte is truncated", in: []byte{0}, bufLen: 16, wantErr: ErrTruncated},
		{name: "short payload is truncated", in: []byte{0, 4, 1, 2}, bufLen: 16, wantErr: ErrTruncated},
		{name: "payload longer than buffer", in: []byte{0x01, 0x00}, bufLen: 16, wantErr: ErrFrameTooLong},
		{name: "largest payload fits MaxPayload", in: append([]byte{0xFF, 0xFF}, make([]byte, MaxPayload)...), bufLen: MaxPayload, want: make([]byte, MaxPayload)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var hdr [2]byte
			got, err := ReadFrame(bytes.NewReader(tc.in), &hdr, make([]byte, tc.bufLen))
			if tc.wantErr != nil {
				if !errors.Is(err, tc.wantErr) {
					t.Fatalf("err = %v, want %v", err, tc.wantErr)
				}
				return
			}
			if err != nil || !bytes.Equal(got, tc.want) {
				t.Fatalf("ReadFrame = %X, %v; want %X", got, err, tc.want)
			}
		})
	}
}

func TestAppendFrame(t *testing.T) {
	got, err := AppendFrame([]byte{0xAA}, []byte{0x3B, 0x00})
	if err != nil || !bytes.Equal(got, []byte{0xAA, 0x00, 0x02, 0x3B, 0x00}) {
		t.Fatalf("AppendFrame = %X, %v", got, err)
	}
	if _, err := AppendFrame(nil, make([]byte, MaxPayload+1)); !errors.Is(err, ErrFrameTooLong) {
		t.Fatalf("AppendFrame of %d bytes: err = %v, want ErrFrameTooLong", MaxPayload+1, err)
	}
	// Frames written by AppendFrame read back with ReadFrame, one after the other.
	stream, _ := AppendFrame(nil, []byte{4})
	stream, _ = AppendFrame(stream, []byte{0x80, 0xF2, 0x00, 0x00, 0x00})
	r := bytes.NewReader(stream)
	var hdr [2]byte
	buf := make([]byte, 64)
	for _, want := range [][]byte{{4}, {0x80, 0xF2, 0x00, 0x00, 0x00}} {
		got, err := ReadFrame(r, &hdr, buf)
		if err != nil || !bytes.Equal(got, want) {
			t.Fatalf("ReadFrame = %X, %v; want %X", got, err, want)
		}
	}
}

func TestControlString(t *testing.T) {
	for c, want := range map[Control]string{PowerOff: "power off", PowerOn: "power on", Reset: "reset", GetATR: "get ATR", 0x03: "control(03)"} {
		if got := c.String(); got != want {
			t.Errorf("Control(%02X).String() = %q, want %q", byte(c), got, want)
		}
	}
}

// FuzzReadFrame feeds garbage streams to the frame reader: it must never
// panic, never return a payload longer than its buffer, and a payload it
// returns must re-encode to the bytes it consumed.
func FuzzReadFrame(f *testing.F) {
	f.Add([]byte{0, 1, 4})
	f.Add([]byte{0, 5, 0x00, 0xA4, 0x00, 0x04, 0x00, 0, 1, 0})
	f.Add([]byte{0xFF, 0xFF, 1})
	f.Add([]byte{0})
	f.Fuzz(func(t *testing.T, in []byte) {
		r := bytes.NewReader(in)
		var hdr [2]byte
		buf := make([]byte, 300)
		consumed := 0
		for {
			p, err := ReadFrame(r, &hdr, buf)
			if err != nil {
				return
			}
			if len(p) > len(buf) {
				t.Fatalf("payload of %d bytes exceeds buffer", len(p))
			}
			enc, err := AppendFrame(nil, p)
			if err != nil || !bytes.Equal(enc, in[consumed:consumed+len(enc)]) {
				t.Fatalf("frame %X does not re-encode to its input %X", p, in[consumed:])
			}
			consumed += len(enc)
		}
	})
}
