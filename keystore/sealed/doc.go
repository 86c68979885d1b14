// Package sealed is a small key-value store on go.etcd.io/bbolt (one file,
// copy-on-write B+tree with a double meta page, so a transaction is either
// wholly on disk or not at all) in which every value is sealed with
// XChaCha20-Poly1305 (draft-irtf-cfrg-xchacha §2, RFC 8439 §2.8) under a
// key derived from the caller's master key. It is the storage of both sides
// of the TR 33.812 §5.3.2 key escrow: the UICC manufacturer's escrow of
// K/OTA key pairs (package keystore/escrow) and an operator's subscriber
// records, the "long-term key-escrow" whose exposure TR 33.812 §7.4.2 item 1
// warns about; the file read raw holds no secret in plaintext.
//
// The record key is HKDF-SHA256 (RFC 5869) of the master key with the
// file's salt and the info "uiccsim keystore/sealed v1 record key". Each
// value's additional data binds the record kind, the bucket and the key it
// is stored under (layout at appendAD in blob.go), so a sealed value cannot be moved to another
// record, bucket or kind without failing authentication. Append-only logs
// additionally chain each entry to the previous entry's tag and to a sealed
// head record, so a removed, reordered or rewritten entry is detected.
//
// File layout (all values in the blob format of ParseBlob):
//
//	bucket "m"        meta: "salt" (32 random bytes, plain), "check" (sealed),
//	                  "head/<log>" (sealed log heads)
//	bucket "k/<name>" a key-value bucket of the caller
//	bucket "l/<name>" an append-only log, keys are 8-byte big-endian sequence numbers
package sealed
