package fs

import (
	"bytes"
	"slices"
	"testing"

	"github.com/uiccsim/uiccsim/apdu"
)

const verifyPIN2 = "002000810835363738FFFFFFFF"

func TestReadUpdateRecordLinear(t *testing.T) {
	c := buildCard(t, Options{})
	c.run(t, []step{
		{selUSIM, "9000"},
		{"00A4000C026F3C", "9000"},
		{"00B2010404", "6982"}, // EF.SMS: PIN2
		{verifyPIN2, "9000"},
		{"00B2010404", "01AABBCC 9000"},
		{"00B2050404", "6A83"},
		{"00B2FF0404", "6A83"},
		{"00B2000404", "6A83"},          // current: no record pointer yet
		{"00B2000204", "01AABBCC 9000"}, // next from unset: record 1
		{"00B2000204", "00000000 9000"},
		{"00B2000404", "00000000 9000"}, // current
		{"00B2000304", "01AABBCC 9000"}, // previous
		{"00B2000304", "6A83"},          // before the first of a linear EF
		{"00B2000404", "01AABBCC 9000"}, // pointer unchanged by the failure
		{"00B2030404", "01AABB00 9000"}, // absolute: pointer unchanged
		{"00B2000404", "01AABBCC 9000"},
		{"00B2010403", "6C04"},                              // T=0: wrong Le
		{"00B2010200", "6A86"},                              // next with a record number
		{"00B2010100", "6A86"},                              // mode 001 RFU
		{"00B201FC04", "6A86"},                              // SFI 11111 RFU
		{"00B2010C0E", "19F1FF01FFFFFFFFFFFFFFFFFF01 9000"}, // EF.ECC by SFI 1
		{"00B2000404", "6A83"},                              // the SFI made EF.ECC current, pointer unset
		{"00A4000C026F3C", "9000"},
		{"00DC02040411223344", "9000"},
		{"00B2020404", "11223344 9000"},
		{"00DC020403112233", "6700"},   // not a whole record
		{"00DC000204AAAAAAAA", "9000"}, // next: record 1
		{"00DC000204BBBBBBBB", "9000"}, // next: record 2
		{"00B2000404", "BBBBBBBB 9000"},
		{"00DC000404CCCCCCCC", "9000"}, // current
		{"00B2020404", "CCCCCCCC 9000"},
		{"00DC050404CCCCCCCC", "6A83"},
		{"00A4000C026F07", "9000"},
		{"00B2010409", "6981"}, // transparent EF
	})
}

func TestSearchRecord(t *testing.T) {
	c := buildCard(t, Options{})
	c.run(t, []step{
		{selUSIM, "9000"},
		{"00A4000C026F3C", "9000"},
		{"00A2010402AABB", "6982"},
		{verifyPIN2, "9000"},
		{"00A2010402AABB", "6103"}, // records 1, 3, 4 contain AABB
		{"00C0000003", "010304 9000"},
		{"00B2000404", "01AABBCC 9000"}, // pointer on the first match
		{"00A2040502AABB", "6103"},
		{"00C0000000", "040301 9000"},
		{"00A2020402AABB", "6102"}, // forward from 2
		{"00C0000002", "0304 9000"},
		{"00A2010402DEAD", "6282"},       // no match
		{"00A2010702AABB", "6A86"},       // proprietary search not offered
		{"00A2050402AABB", "6A83"},       // start beyond the last record
		{"00A2010405AABBCCDDEE", "6700"}, // pattern longer than a record
		{"00A2010400", "6700"},
	})
}

// TestEnhancedSearchRecord: SEARCH RECORD P2 b3..b1=110 with the search
// indication of TS 102 221 §11.1.7.3 on EF.SMS, whose records are
// 01AABBCC, 00000000, 01AABB00, 03CCAABB; answers through GET RESPONSE
// (T=0).
func TestEnhancedSearchRecord(t *testing.T) {
	c := buildCard(t, Options{})
	c.run(t, []step{
		{selUSIM, "9000"},
		{"00A4000C026F3C", "9000"},
		{"00A2010604 0401AABB", "6982"},
		{verifyPIN2, "9000"},
		// Offset searches forward from P1=1.
		{"00A2010604 0401AABB", "6103"},
		{"00C0000003", "010304 9000"},
		{"00A2010604 0402AABB", "6101"}, // only record 4 has AABB at 2..3
		{"00C0000001", "04 9000"},
		{"00A2010603 0400CC", "6102"},
		{"00C0000002", "0104 9000"},
		{"00A2010603 0404AA", "6282"}, // offset at the end of every record
		// Value searches: from the byte after the first 01 / CC.
		{"00A2010604 0C01AABB", "6102"},
		{"00C0000002", "0103 9000"},
		{"00A2010604 0CCCAABB", "6101"},
		{"00C0000001", "04 9000"},
		// Backward from P1, from the next / previous record.
		{"00A2040604 0500AABB", "6103"},
		{"00C0000003", "040301 9000"},
		{"00A2010604 0600AABB", "6102"},
		{"00C0000002", "0304 9000"},
		{"00B2000404", "01AABB00 9000"}, // pointer on the first record found
		{"00A2000604 0700AABB", "6101"}, // P1=00: before the current record 3
		{"00C0000001", "01 9000"},
		{"00A2000604 0600AABB", "6102"}, // after the current record 1
		{"00C0000002", "0304 9000"},
		{"00A2040604 0600AABB", "6282"}, // nothing after the last record
		{"00A2010604 0700AABB", "6282"}, // nothing before the first
		{"00A4000C026F07", "9000"},
		{"00A4000C026F3C", "9000"},      // no current record:
		{"00A2000604 0600AABB", "6103"}, // from the first
		{"00C0000003", "010304 9000"},
		{"00A4000C026F07", "9000"},
		{"00A4000C026F3C", "9000"},
		{"00A2000604 0700AABB", "6103"}, // from the last
		{"00C0000003", "040301 9000"},
		// Rejected: RFU indication bits or codes, lengths, P1, P2.
		{"00A2010604 1400AABB", "6A80"},
		{"00A2010604 0300AABB", "6A80"},
		{"00A2010602 0400", "6700"},
		{"00A2010601 04", "6700"},
		{"00A2010607 0400AABBCCDDEE", "6700"},
		{"00A2050604 0400AABB", "6A83"},
		{"00B2000404", "03CCAABB 9000"}, // rejected searches left the pointer on 4
	})
}

func TestCyclicAndIncrease(t *testing.T) {
	c := buildCard(t, Options{})
	c.run(t, []step{
		{selUSIM, "9000"},
		{"00A4000C026F39", "9000"},
		{"00B2010403", "000010 9000"},
		{"00B2030403", "000001 9000"},
		{"8032000003000001", "6982"}, // INCREASE (INS 32 rule): PIN2
		{verifyPIN2, "9000"},
		{"8032000003000001", "6106"},
		{"00C0000006", "000011 000001 9000"},
		{"00B2010403", "000011 9000"},
		{"00B2020403", "000010 9000"},
		{"00B2030403", "000005 9000"}, // the oldest (000001) was overwritten
		{"80320000020100", "6105"},
		{"00C0000005", "000111 0100 9000"},
		{"8032000003FFFFFF", "9850"}, // carry out: nothing changes
		{"00B2010403", "000111 9000"},
		{"803200000400000001", "6700"},
		{"8032010001AA", "6A86"},
		{"0032000001AA", "6E00"},
		{"00DC000303ABCDEF", "9000"}, // cyclic update: previous only
		{"00B2010403", "ABCDEF 9000"},
		{"00B2020403", "000111 9000"},
		{"00DC010403ABCDEF", "6A86"},
		{"00B2000203", "000111 9000"}, // pointer on record 1 after the update: next is 2
		{"00B2000203", "000011 9000"},
		{"00B2000203", "ABCDEF 9000"}, // wraps to record 1
		{"00B2000303", "000011 9000"}, // previous from 1 wraps to the last
		{"00A4000C026F3C", "9000"},
		{"8032000001AA", "6981"}, // not cyclic
	})
}

// FuzzSearchRecords checks SearchRecords against a plain re-statement of
// TS 102 221 §11.1.7 on EF.SMS for any P1, P2, data and current record:
// the records listed are those the definition selects, in search order,
// and the first is returned.
func FuzzSearchRecords(f *testing.F) {
	for _, s := range []string{"0401AABB", "0C01AABB", "0500AABB", "0600AABB", "0700CC", "AABB", "1400AA", "04"} {
		f.Add(byte(1), byte(0x06), hx(s), 0)
	}
	f.Add(byte(0), byte(0x04), hx("AABB"), 3)
	f.Add(byte(4), byte(0x05), hx("CC"), 0)
	c := buildCard(f, Options{})
	f.Fuzz(func(t *testing.T, p1, p2 byte, data []byte, cur int) {
		x := &c.fs.nodes[c.sms]
		cur = ((cur % (x.nrec + 1)) + x.nrec + 1) % (x.nrec + 1)
		got, first, err := c.fs.SearchRecords(nil, c.sms, p1, p2, data, cur)
		// The definition, record by record.
		mode, str, byValue, at := p2&7, data, false, byte(0)
		if mode == 6 {
			if len(data) < 2 {
				if err == nil {
					t.Fatalf("no error for a short indication % X", data)
				}
				return
			}
			if data[0]&0xF0 != 0 || data[0]&7 < 4 {
				if err != apdu.SWIncorrectDataField {
					t.Fatalf("indication %02X: %v", data[0], err)
				}
				return
			}
			mode, byValue, at, str = data[0]&7, data[0]&8 != 0, data[1], data[2:]
		} else if mode != 4 && mode != 5 {
			if err != apdu.SWIncorrectP1P2 {
				t.Fatalf("P2 %02X: %v", p2, err)
			}
			return
		}
		if len(str) < 1 || len(str) > x.recLen || int(p1) > x.nrec {
			if err == nil || err == apdu.SWWarningEOF {
				t.Fatalf("P1 %d, string % X accepted", p1, str)
			}
			return
		}
		ref := int(p1)
		if ref == 0 {
			ref = cur
		}
		var want []byte
		for i := 1; i <= x.nrec; i++ {
			ok := false
			switch mode {
			case 4:
				ok = ref == 0 || i >= ref
			case 5:
				ok = ref == 0 || i <= ref
			case 6:
				ok = i > ref
			case 7:
				ok = ref == 0 || i < ref
			}
			r := c.fs.record(c.sms, i)
			if byValue {
				v := bytes.IndexByte(r, at)
				ok = ok && v >= 0
				if v >= 0 {
					r = r[v+1:]
				}
			} else if int(at) < len(r) {
				r = r[at:]
			} else {
				ok = false
			}
			if ok && bytes.Contains(r, str) {
				want = append(want, byte(i))
			}
		}
		if mode == 5 || mode == 7 {
			slices.Reverse(want)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("P1 %d P2 %02X % X cur %d: got % X, want % X", p1, p2, data, cur, got, want)
		}
		if len(want) == 0 && (first != 0 || err != apdu.SWWarningEOF) || len(want) > 0 && (int(want[0]) != first || err != nil) {
			t.Fatalf("first %d, %v for % X", first, err, want)
		}
	})
}
