package ef

import (
	"bytes"
	"errors"
	"testing"
)

func TestFileDescriptorMatchesPySimVectors(t *testing.T) {
	types := map[string]FileType{"working_ef": WorkingEF, "df": DFOrADF}
	structs := map[string]Structure{"transparent": Transparent, "linear_fixed": LinearFixed, "no_info_given": NoInformation}
	for _, v := range codecVectors(t, "pysim.ef.ts_102_221.FileDescriptor") {
		var want struct {
			FDB struct {
				Shareable bool   `json:"shareable"`
				Type      string `json:"file_type"`
				Structure string `json:"structure"`
			} `json:"file_descriptor_byte"`
			RecLen *int `json:"record_len"`
			NumRec *int `json:"num_of_rec"`
		}
		unmarshal(t, v.Decoded, &want)
		exp := FileDescriptor{Shareable: want.FDB.Shareable, Type: types[want.FDB.Type], Structure: structs[want.FDB.Structure], BERTLV: want.FDB.Structure == "ber_tlv"}
		if exp.BERTLV {
			exp.Type, exp.Structure = 0, 0
		}
		if want.RecLen != nil {
			exp.RecordLen, exp.NumRecords = uint16(*want.RecLen), uint8(*want.NumRec)
		}
		for _, in := range [][]byte{v.Encoded, withFF(v.Encoded)} {
			got, err := ParseFileDescriptor(in)
			if err != nil || got != exp {
				t.Errorf("%s: ParseFileDescriptor = %+v, %v; want %+v", v.ID, got, err, exp)
			}
		}
		if enc := exp.Append(nil); !bytes.Equal(enc, v.Encoded) {
			t.Errorf("%s: Append = %x, want %x", v.ID, enc, v.Encoded)
		}
	}
}

func TestFileDescriptorInRealFCPs(t *testing.T) {
	// FCPs returned by real cards (select_responses): the '82' DO follows
	// the '62' header; EF_ECC 6FB7 is linear fixed, 2 records of 14 bytes.
	for _, tc := range []struct {
		fcp, want string
	}{
		{"621a82054221000e0283026fb78a01058b036f06088002001c880108", "shareable working EF linear fixed, 2 records of 14 bytes"},
		{"62178202412183026f078a01058b036f060a80020009880138", "shareable working EF transparent"},
		{"622c8202782183023f00a50c80017183040003a7388701018a01058b032f0601c60c90016083010183010a83010b", "shareable DF or ADF"},
	} {
		b := mustHex(t, tc.fcp)
		d, err := ParseFileDescriptor(b[2:])
		if err != nil || d.String() != tc.want {
			t.Errorf("%s: %v, %v; want %s", tc.fcp, d, err, tc.want)
		}
	}
}

func TestLifeCycleMatchesPySimVector(t *testing.T) {
	for _, v := range codecVectors(t, "pysim.ef.ts_102_221.LifeCycleStatusInteger") {
		l, err := ParseLifeCycle(v.Encoded)
		if err != nil || l != LCSIActivated || l.String() != "operational state - activated" {
			t.Errorf("%s: %v, %v", v.ID, l, err)
		}
		if !bytes.Equal(l.Append(nil), v.Encoded) {
			t.Errorf("%s: Append", v.ID)
		}
	}
	if LifeCycle(0x07).String() != "operational state - activated" || LifeCycle(0x06).String() != "operational state - deactivated" {
		t.Error("b2 of the operational states is proprietary and must be ignored")
	}
}

func TestFileDescriptorRejects(t *testing.T) {
	for _, h := range []string{"8203422100", "82024221", "8202412200", "820279", "83024121", "82057821000a01", "820542210000" + "0005", "82029121"} {
		if _, err := ParseFileDescriptor(mustHex(t, h)); !errors.Is(err, ErrMalformed) {
			t.Errorf("ParseFileDescriptor(%s) error = %v", h, err)
		}
	}
}

func FuzzParseFileDescriptor(f *testing.F) {
	for _, h := range []string{"82027921", "82027821", "82024121", "82054221006e05", "8205462100 0a05"} {
		f.Add(mustHex(f, h))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		d, err := ParseFileDescriptor(b)
		if err != nil {
			return
		}
		again, err := ParseFileDescriptor(d.Append(nil))
		if err != nil || again != d {
			t.Fatalf("%x: %+v -> %+v, %v", b, d, again, err)
		}
	})
}

func FuzzParseLifeCycle(f *testing.F) {
	f.Add(mustHex(f, "8a0105"))
	f.Fuzz(func(t *testing.T, b []byte) {
		l, err := ParseLifeCycle(b)
		if err == nil && !bytes.Equal(l.Append(nil), b[:3]) {
			t.Fatalf("%x", b)
		}
		_ = l.String()
	})
}
