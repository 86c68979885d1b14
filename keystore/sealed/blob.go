package sealed

import (
	"fmt"

	"golang.org/x/crypto/chacha20poly1305"
)

// BlobVersion is the first byte of every sealed value.
const BlobVersion = 1

// Blob sizes: version, kind, the 24-byte XChaCha20 nonce
// (draft-irtf-cfrg-xchacha §2.3) and the 16-byte Poly1305 tag (RFC 8439
// §2.8).
const (
	blobHeaderLen = 2 + chacha20poly1305.NonceSizeX
	// BlobOverhead is how many bytes sealing adds to a plaintext.
	BlobOverhead = blobHeaderLen + chacha20poly1305.Overhead
)

// Blob is a parsed sealed value:
//
//	version(1)=1 kind(1) nonce(24) ciphertext‖tag(len(plaintext)+16)
//
// Version and kind travel in clear and are also bound into the additional
// data, so neither can be changed without failing authentication.
type Blob struct {
	Kind       Kind
	Nonce      []byte // 24 bytes, aliasing the input
	Ciphertext []byte // ciphertext followed by the tag, aliasing the input
}

// ParseBlob splits a sealed value into its fields without allocating. It
// checks the version and the minimum length; authentication happens when
// the blob is opened.
func ParseBlob(b []byte) (Blob, error) {
	if len(b) < BlobOverhead {
		return Blob{}, fmt.Errorf("%w: sealed value of %d bytes, need at least %d", ErrCorrupt, len(b), BlobOverhead)
	}
	if b[0] != BlobVersion {
		return Blob{}, fmt.Errorf("%w: sealed value version %d, want %d", ErrCorrupt, b[0], BlobVersion)
	}
	return Blob{Kind: Kind(b[1]), Nonce: b[2:blobHeaderLen], Ciphertext: b[blobHeaderLen:]}, nil
}

// Kind is a caller-defined record type bound into each value's additional
// data, so that, e.g., a card record cannot be read back as a key pair.
// Kind 0 is reserved for the store's own records.
type Kind uint8

// kindMeta is the kind of the store's own records (check value, log heads).
const kindMeta Kind = 0

// appendAD appends the additional data of a value:
//
//	version(1) kind(1) len(2) bucket len(2) key [prevTag(16)]
//
// where bucket is the namespaced bbolt bucket name ("k/<name>", "l/<name>"
// or "m"), lengths are big-endian, and prevTag — for log entries only — is
// the tag of the previous entry's value (16 zero bytes before entry 1).
func appendAD(dst []byte, kind Kind, bucket []byte, key []byte, prevTag []byte) []byte {
	dst = append(dst, BlobVersion, byte(kind), byte(len(bucket)>>8), byte(len(bucket)))
	dst = append(dst, bucket...)
	dst = append(dst, byte(len(key)>>8), byte(len(key)))
	dst = append(dst, key...)
	return append(dst, prevTag...)
}
