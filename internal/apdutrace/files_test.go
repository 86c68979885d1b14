package apdutrace

import "testing"

func TestLookupFileInvertsFileName(t *testing.T) {
	for _, tc := range []struct {
		dir  Dir
		name string
		fid  uint16
	}{
		{DirUSIM, "EF.IMSI", 0x6F07},
		{DirUSIM, "ef.imsi", 0x6F07},
		{DirUSIM, "EF.ICCID", 0x2FE2}, // MF-level names are found everywhere
		{DirMF, "EF.DIR", 0x2F00},
		{DirTelecom, "EF.MSISDN", 0x6F40},
		{DirGSM, "EF.SST", 0x6F38},
	} {
		fid, ok := LookupFile(tc.dir, tc.name)
		if !ok || fid != tc.fid {
			t.Errorf("%v %s: %04X %v, want %04X", tc.dir, tc.name, fid, ok, tc.fid)
		}
		if n := FileName(tc.dir, fid); !ok || n == "" {
			t.Errorf("FileName(%v, %04X) = %q", tc.dir, fid, n)
		}
	}
	if _, ok := LookupFile(DirMF, "EF.IMSI"); ok {
		t.Error("EF.IMSI found under the MF")
	}
	if _, ok := LookupFile(DirUSIM, "EF.NOPE"); ok {
		t.Error("unknown name found")
	}
}
