// Package tlv reads and writes the two tag-length-value encodings that
// UICC data travels in:
//
//   - BER-TLV, ETSI TS 101 220 §7.1 with the tag and length rules of
//     ISO/IEC 8825-1 §8.1.2–§8.1.3 (as profiled by ISO/IEC 7816-4 §5.2.2):
//     tags of 1 to 3 bytes whose first byte carries the class and the
//     constructed bit, lengths of 1 to 4 bytes ('00'–'7F', '81 xx',
//     '82 xx xx', '83 xx xx xx'), and constructed values that nest further
//     BER-TLV objects (FCP templates, EF_DIR and EF_ARR records, the CAT
//     envelopes and proactive commands of ETSI TS 102 223 Annex C).
//   - COMPREHENSION-TLV, ETSI TS 102 223 §8 and Annex C, ETSI TS 101 220
//     §7.1.1.2: a "comprehension required" (CR) flag and a tag value in the
//     single-byte format ('01'–'7E', CR in bit 8) or the three-byte format
//     ('7F', then CR in bit 8 of the second byte and a 15-bit tag value),
//     followed by a length of one byte or '81 xx'.
//
// The API follows golang.org/x/crypto/cryptobyte. A Reader is consumed with
// typed reads (ReadBER, ReadComprehension, ReadUint8, ...) that report
// success as a bool, alias the input and never allocate; the value of a
// constructed object is read as a new Reader. When a read fails the Reader
// keeps the first error, an *Error that says what was wrong and at which
// byte offset of the outermost input, and wraps a sentinel (ErrTruncated,
// ErrInvalidTag, ErrInvalidLength, ErrUnexpectedTag, all of which are also
// ErrMalformed). A Builder appends objects to a byte slice and fixes up the
// length of a constructed object once its content is written.
//
// Only the canonical encoding is accepted: the shortest length field and
// the shortest tag form. Every object a Reader accepts is therefore
// re-encoded by a Builder byte for byte, which the fuzz targets check.
// Padding bytes '00' and 'FF' that ISO/IEC 7816-4 §5.2.2.1 allows between
// BER-TLV objects in records are skipped with Reader.SkipPadding.
package tlv
