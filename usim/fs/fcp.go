package fs

// FCP tags, ETSI TS 102 221 §11.1.1.3 and §11.1.1.4.
const (
	tagFCP            = 0x62
	tagFileSize       = 0x80
	tagDescriptor     = 0x82
	tagFileID         = 0x83
	tagDFName         = 0x84
	tagSFI            = 0x88
	tagLCSI           = 0x8A
	tagSecurityRef    = 0x8B
	tagProprietary    = 0xA5
	tagPINStatus      = 0xC6
	tagPSDO           = 0x90
	tagUsageQualifier = 0x95

	dataCoding = 0x21 // data coding byte, TS 102 221 §11.1.1.4.3
)

// AppendFCP appends the FCP template (tag 62) of file n as SELECT and
// STATUS answer it, ETSI TS 102 221 §11.1.1.3:
//
//	MF/DF/ADF: 82 83 [84] [A5] 8A 8B|8C|AB C6
//	EF:        82 83 8A 8B|8C|AB [C6] 80 88
//
// It does not allocate when dst has room.
func (f *FS) AppendFCP(dst []byte, n Node) []byte {
	x := &f.nodes[n]
	start := len(dst)
	dst = append(dst, tagFCP, 0)
	sh := byte(0)
	if x.shareable {
		sh = 0x40
	}
	if x.kind.IsDF() {
		dst = append(dst, tagDescriptor, 2, sh|0x38, dataCoding)
	} else if x.structure == Transparent {
		dst = append(dst, tagDescriptor, 2, sh|x.structure.descriptorByte(), dataCoding)
	} else {
		dst = append(dst, tagDescriptor, 5, sh|x.structure.descriptorByte(), dataCoding,
			byte(x.recLen>>8), byte(x.recLen), byte(x.nrec))
	}
	dst = append(dst, tagFileID, 2, byte(x.fid>>8), byte(x.fid))
	if x.kind == KindADF {
		dst = append(dst, tagDFName, byte(x.aid.Len()))
		dst = x.aid.Append(dst)
	}
	if x.kind.IsDF() && f.opts.Proprietary != nil {
		dst = append(dst, tagProprietary, byte(len(f.opts.Proprietary)))
		dst = append(dst, f.opts.Proprietary...)
	}
	dst = append(dst, tagLCSI, 1, byte(f.lcsi(n)))
	dst = f.appendSecAttr(dst, x)
	if x.kind.IsDF() || !f.opts.OmitEFPinStatus {
		dst = f.appendPINStatus(dst, n)
	}
	if x.kind == KindEF {
		dst = append(dst, tagFileSize, 2, byte(x.size>>8), byte(x.size))
		if x.sfi != 0 {
			dst = append(dst, tagSFI, 1, byte(x.sfi)<<3)
		} else {
			dst = append(dst, tagSFI, 0) // no SFI (§11.1.1.4.8)
		}
	}
	return patchLen(dst, start)
}

// appendPINStatus appends the PIN status template DO (C6, TS 102 221
// §11.1.1.4.10): PS_DO (90) with one bit per listed key, b8 of the first
// byte for the first, set when the PIN is enabled, then the key
// references (83 01 xx), the universal PIN's preceded by its usage
// qualifier (95 01 08 or 00). An EF uses the list of its nearest DF.
func (f *FS) appendPINStatus(dst []byte, n Node) []byte {
	for n != NoNode && !f.nodes[n].kind.IsDF() {
		n = f.nodes[n].parent
	}
	pins := f.nodes[n].pins
	if len(pins) == 0 {
		return dst
	}
	nb := (len(pins) + 7) / 8
	l := 2 + nb + 3*len(pins)
	for _, k := range pins {
		if k == KeyUniversal {
			l += 3 // its usage qualifier
		}
	}
	dst = append(dst, tagPINStatus, byte(l), tagPSDO, byte(nb))
	ps := len(dst)
	for range nb {
		dst = append(dst, 0)
	}
	for i, k := range pins {
		if k.IsADM() || f.enabled(k) {
			dst[ps+i/8] |= 0x80 >> (i % 8)
		}
		if k == KeyUniversal {
			dst = append(dst, tagUsageQualifier, 1, f.universalUsage(n))
		}
		dst = append(dst, tagKeyRef, 1, byte(k))
	}
	return dst
}

// universalUsage is the usage qualifier of the universal PIN in DF n's
// PIN status template (TS 102 221 §11.1.1.4.10): 08 when n's application
// PIN is replaced by the universal PIN (DISABLE PIN P1=91, §11.1.11), 00
// when it is not.
func (f *FS) universalUsage(n Node) byte {
	k := f.appPIN(n)
	if i := f.pinIdx[k]; i >= 0 {
		if fl := f.st.Bytes(f.pins[i].ref)[pinFlags]; fl&(flagEnabled|flagUseUniversal) == flagUseUniversal {
			return 0x08
		}
	}
	return 0x00
}

// patchLen fills in the length of the TLV opened at start (one length
// byte reserved), moving the value for the 81 xx form when it exceeds 127.
func patchLen(dst []byte, start int) []byte {
	n := len(dst) - start - 2
	if n <= 0x7F {
		dst[start+1] = byte(n)
		return dst
	}
	dst = append(dst, 0)
	copy(dst[start+3:], dst[start+2:len(dst)-1])
	dst[start+1], dst[start+2] = 0x81, byte(n)
	return dst
}
