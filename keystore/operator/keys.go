package operator

import "golang.org/x/crypto/curve25519"

// publicOf derives the X25519 public key of priv (RFC 7748 §6.1).
func publicOf(priv *[32]byte) *[32]byte {
	var pub [32]byte
	curve25519.ScalarBaseMult(&pub, priv)
	return &pub
}
