package usim

import "hash/crc32"

// crc32IEEE is the checksum the milenage SQN-state encoding ends with.
func crc32IEEE(b []byte) uint32 { return crc32.ChecksumIEEE(b) }
