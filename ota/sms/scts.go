package sms

import (
	"fmt"
	"time"
)

// Timestamp is a TP-Service-Centre-Time-Stamp (TP-SCTS), TS 23.040
// §9.2.3.11: seven octets of swapped semi-octets — year (two digits),
// month, day, hour, minute, second and the time zone in quarters of an hour
// relative to GMT, whose sign is bit 3 of the zone's first semi-octet. The
// same layout serves the absolute TP-VP (§9.2.3.12.2).
type Timestamp struct {
	Year, Month, Day     int // Year is the two-digit year 0..99
	Hour, Minute, Second int
	Zone                 int // quarters of an hour east of GMT, -79..79
}

// TimestampOf converts t to a Timestamp in t's own zone, rounding the zone
// offset down to whole quarters of an hour.
func TimestampOf(t time.Time) Timestamp {
	_, off := t.Zone()
	return Timestamp{t.Year() % 100, int(t.Month()), t.Day(), t.Hour(), t.Minute(), t.Second(), off / 900}
}

// Time returns ts as a time.Time, with years 00..99 read as 2000..2099.
func (ts Timestamp) Time() time.Time {
	return time.Date(2000+ts.Year, time.Month(ts.Month), ts.Day, ts.Hour, ts.Minute, ts.Second, 0,
		time.FixedZone("", ts.Zone*900))
}

func (ts Timestamp) String() string {
	sign, z := '+', ts.Zone
	if z < 0 {
		sign, z = '-', -z
	}
	return fmt.Sprintf("%02d-%02d-%02d %02d:%02d:%02d GMT%c%d:%02d", ts.Year, ts.Month, ts.Day,
		ts.Hour, ts.Minute, ts.Second, sign, z/4, z%4*15)
}

// AppendTimestamp appends the seven octets of TS 23.040 §9.2.3.11.
func AppendTimestamp(dst []byte, ts Timestamp) ([]byte, error) {
	f := [6]int{ts.Year, ts.Month, ts.Day, ts.Hour, ts.Minute, ts.Second}
	for i, v := range f {
		if v < 0 || v > 99 {
			return dst, errAt(ErrInvalid, "TP-SCTS", -1, fmt.Sprintf("field %d value %d is not two decimal digits", i, v))
		}
		dst = append(dst, byte(v%10)<<4|byte(v/10))
	}
	z, sign := ts.Zone, byte(0)
	if z < 0 {
		z, sign = -z, 0x08
	}
	if z > 79 {
		return dst, errAt(ErrInvalid, "TP-SCTS", -1, fmt.Sprintf("time zone %d quarters out of range", ts.Zone))
	}
	return append(dst, byte(z%10)<<4|byte(z/10)|sign), nil
}

// ParseTimestamp decodes the seven octets of TS 23.040 §9.2.3.11 at the
// start of b. Every semi-octet must be a decimal digit.
func ParseTimestamp(b []byte) (Timestamp, error) {
	if len(b) < 7 {
		return Timestamp{}, errAt(ErrTruncated, "TP-SCTS", 0, "need 7 octets")
	}
	var f [6]int
	for i := 0; i < 6; i++ {
		lo, hi := b[i]&0x0f, b[i]>>4
		if lo > 9 || hi > 9 {
			return Timestamp{}, errAt(ErrInvalid, "TP-SCTS", i, "semi-octet is not a decimal digit")
		}
		f[i] = int(lo)*10 + int(hi)
	}
	tens, units := b[6]&0x07, b[6]>>4
	if units > 9 {
		return Timestamp{}, errAt(ErrInvalid, "TP-SCTS", 6, "time zone semi-octet is not a decimal digit")
	}
	z := int(tens)*10 + int(units)
	if b[6]&0x08 != 0 {
		z = -z
	}
	return Timestamp{f[0], f[1], f[2], f[3], f[4], f[5], z}, nil
}
