package apdu

// Transport carries APDUs between a host and one card. An emulated card, a
// PC/SC reader (apdu/pcsc) and a T=0 wrapper (apdu/t0) all satisfy it, so
// the same client code drives any of them.
type Transport interface {
	// Transmit sends one command APDU and appends the card's response APDU
	// (data ‖ SW1 SW2) to dst. An error means the exchange itself failed;
	// a card's refusal is a status word in the response, not an error.
	Transmit(dst, cmd []byte) ([]byte, error)
	// Reset resets the card, cold (power cycle) or warm, and returns its
	// answer-to-reset (ISO/IEC 7816-3 §8).
	Reset(cold bool) (atr []byte, err error)
	// Close releases the card or reader.
	Close() error
}

// PowerOffer is implemented by transports that can remove power from the
// card without closing it (the vpcd "power off" control message).
type PowerOffer interface {
	PowerOff() error
}
