package fs

import "testing"

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
		{"00A2010602AABB", "6A86"},       // enhanced search not offered
		{"00A2050402AABB", "6A83"},       // start beyond the last record
		{"00A2010405AABBCCDDEE", "6700"}, // pattern longer than a record
		{"00A2010400", "6700"},
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
