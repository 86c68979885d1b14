package server

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/uiccsim/uiccsim/apdu"
	"github.com/uiccsim/uiccsim/ota/rfm"
	"github.com/uiccsim/uiccsim/ota/scp80"
	"github.com/uiccsim/uiccsim/ota/sms"
	"github.com/uiccsim/uiccsim/ota/smspp"
)

func unhex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func vector(t *testing.T, id string) map[string]any {
	raw, err := os.ReadFile("../testdata/ota-scp80.json")
	if err != nil {
		t.Fatal(err)
	}
	var f struct{ Vectors []map[string]any }
	if err := json.Unmarshal(raw, &f); err != nil {
		t.Fatal(err)
	}
	for _, v := range f.Vectors {
		if v["id"] == id {
			return v
		}
	}
	t.Fatalf("no vector %s", id)
	return nil
}

func s(m map[string]any, keys ...string) string {
	var cur any = m
	for _, k := range keys {
		cur = cur.(map[string]any)[k]
	}
	return cur.(string)
}

// recorded is a transport that checks the ENVELOPE it gets and answers
// with a PoR a real card sent.
type recorded struct {
	t       *testing.T
	wantUD  []byte // the TP-UD the ENVELOPE's SMS-DELIVER must carry
	por     []byte
	pending []byte
}

func (r *recorded) Transmit(dst, cmd []byte) ([]byte, error) {
	c, err := apdu.ParseCommand(cmd)
	if err != nil {
		r.t.Fatal(err)
	}
	switch c.INS {
	case 0xC2:
		d, err := smspp.ParseDownload(c.Data)
		if err != nil {
			r.t.Fatal(err)
		}
		dl, err := sms.ParseDeliver(d.TPDU)
		if err != nil {
			r.t.Fatal(err)
		}
		if dl.PID != 0x7F || dl.DCS != 0xF6 || !bytes.Equal(dl.UD, r.wantUD) {
			r.t.Fatalf("ENVELOPE carries UD %x\nwant %x", dl.UD, r.wantUD)
		}
		r.pending = r.por
		return append(dst, 0x61, byte(len(r.por))), nil
	case 0xC0:
		return append(append(dst, r.pending...), 0x90, 0x00), nil
	}
	r.t.Fatalf("unexpected command %x", cmd)
	return nil, nil
}
func (r *recorded) Reset(bool) ([]byte, error) { return nil, nil }
func (r *recorded) Close() error               { return nil }

// TestRunMatchesRealCards sends what pySim sent to a sysmoISIM-SJA5 and a
// sysmoISIM-SJA2, checks the bytes on the wire, and verifies the PoRs those
// cards returned.
func TestRunMatchesRealCards(t *testing.T) {
	t.Run("SJA5 3DES ciphered CC, compact, 1 APDU", func(t *testing.T) {
		v := vector(t, "pysim.ota.sms.3DES-SJA5-CIPHERED-CC")
		c := vectorCard(t, v)
		tr := &recorded{t: t, wantUD: append([]byte{2, 0x70, 0}, unhex(t, s(v, "expected", "encoded_cmd"))...), por: unhex(t, s(v, "inputs", "por_ud"))}
		_, res, err := c.Run(tr, [][]byte{unhex(t, "00a40004023f00")})
		if err != nil {
			t.Fatal(err)
		}
		if res.PoR.Status != scp80.StatusOK || res.Executed != 1 || !res.APDUs[0].Reported || res.APDUs[0].SW != 0x6132 {
			t.Fatalf("%+v", res)
		}
	})
	t.Run("SJA2 3DES counter 100, compact, 2 APDUs", func(t *testing.T) {
		v := vector(t, "pysim.ota.docs.smpp_ota_tool.cntr100")
		c := vectorCard(t, v)
		c.Counter = 99
		tr := &recorded{t: t, wantUD: unhex(t, s(v, "expected", "sms_user_data_sent")), por: unhex(t, s(v, "expected", "por_user_data_received"))}
		_, res, err := c.Run(tr, [][]byte{unhex(t, "a0a40000027f20"), unhex(t, "a0c0000016")})
		if err != nil {
			t.Fatal(err)
		}
		if c.Counter != 100 || res.Executed != 2 || !res.APDUs[0].Executed || res.APDUs[0].Reported {
			t.Fatalf("%+v", res)
		}
		last := res.APDUs[1]
		if last.SW != apdu.SWOK || !bytes.Equal(last.Data, unhex(t, "0000ffff7f2002000000000009b106350400838a838a")) {
			t.Fatalf("%v", last)
		}
	})
}

func vectorCard(t *testing.T, v map[string]any) *Card {
	in := v["inputs"].(map[string]any)
	enc, err := scp80.NewCipher(scp80.Alg3DES2, unhex(t, s(in, "kic")))
	if err != nil {
		t.Fatal(err)
	}
	mac, _ := scp80.NewCipher(scp80.Alg3DES2, unhex(t, s(in, "kid")))
	spi := unhex(t, s(in, "spi"))
	var tar scp80.TAR
	copy(tar[:], unhex(t, s(in, "tar")))
	kvn := int(in["kic_idx"].(float64))
	return &Card{TAR: tar, SPI: scp80.SPI{spi[0], spi[1]}, KIc: scp80.NewKIc(scp80.Alg3DES2, kvn), KID: scp80.NewKID(scp80.Alg3DES2, kvn),
		Keys:       scp80.Keys{Enc: enc, MAC: mac},
		Originator: sms.Address{TON: sms.TONUnknown, NPI: sms.NPIISDN, Digits: "12345678"},
		SCTS:       sms.Timestamp{Year: 22, Month: 7, Day: 25}}
}

func TestRunAgainstFakeCard(t *testing.T) {
	key := func(b byte) *scp80.Cipher {
		c, _ := scp80.NewCipher(scp80.AlgAES, bytes.Repeat([]byte{b}, 16))
		return c
	}
	keys := scp80.Keys{Enc: key(1), MAC: key(2)}
	imsi := unhex(t, "082902010000000010")
	long := make([][]byte, 0, 6)
	long = append(long, unhex(t, "00a40004026f07"))
	for i := 0; i < 3; i++ { // 3 × 105-octet UPDATE BINARY: the packet needs 3 SMS
		long = append(long, append([]byte{0x00, 0xD6, 0x00, byte(i * 100), 100}, bytes.Repeat([]byte{byte(i)}, 100)...))
	}
	long = append(long, unhex(t, "00a40004026f07"), unhex(t, "00d6000009"+hex.EncodeToString(imsi)), unhex(t, "00b0000009"))
	short := [][]byte{unhex(t, "00a40004026f07"), unhex(t, "00d6000009"+hex.EncodeToString(imsi)), unhex(t, "00b0000009")}
	for _, expanded := range []bool{false, true} {
		for _, submit := range []bool{false, true} {
			for _, script := range [][][]byte{short, long} {
				name := map[bool]string{false: "compact", true: "expanded"}[expanded] + "/" +
					map[bool]string{false: "PoR in ENVELOPE response", true: "PoR by SMS-SUBMIT"}[submit] + "/" +
					map[bool]string{false: "1 SMS", true: "concatenated"}[len(script) > 3]
				t.Run(name, func(t *testing.T) {
					spi := scp80.NewSPI(scp80.SPIOptions{Integrity: scp80.CryptoChecksum, Ciphered: true, Counter: scp80.CounterHigher,
						PoR: scp80.PoRAlways, PoRIntegrity: scp80.CryptoChecksum, PoRCiphered: true, PoRBySubmit: submit})
					c := &Card{TAR: scp80.TARRFMUSIM, SPI: spi, KIc: 0x12, KID: 0x12, Keys: keys, Counter: 41, Expanded: expanded,
						Originator: sms.Address{TON: sms.TONInternational, NPI: sms.NPIISDN, Digits: "4912345"}, ConcatRef: 300}
					fc := newFakeCard(t, keys, 41)
					m, res, err := c.Run(fc, script)
					if err != nil {
						t.Fatal(err)
					}
					if len(script) > 3 && len(m.TPDUs) != 3 {
						t.Fatalf("%d TPDUs", len(m.TPDUs))
					}
					if res.PoR.Status != scp80.StatusOK || !res.PoR.Secured || res.Executed != len(script) {
						t.Fatalf("%+v", res)
					}
					last := res.APDUs[len(script)-1]
					if last.SW != apdu.SWOK || !bytes.Equal(last.Data, imsi) {
						t.Fatalf("last %v", last)
					}
					if expanded && res.APDUs[0].SW != apdu.SWOK {
						t.Fatalf("first %v", res.APDUs[0])
					}
					if !bytes.Equal(fc.ef[:9], imsi) || fc.cntr.Uint64() != 42 {
						t.Fatalf("card EF %x counter %v", fc.ef[:9], fc.cntr)
					}
					// Replay: the card refuses CNTR 42 again.
					c.Counter = 41
					_, res, err = c.Run(fc, script)
					if err != nil || res.PoR.Status != scp80.StatusCounterLow || res.Executed != 0 {
						t.Fatalf("replay: %+v %v", res, err)
					}
				})
			}
		}
	}
}

func TestRunErrors(t *testing.T) {
	keys := scp80.Keys{}
	c := &Card{TAR: scp80.TARRFMUSIM, SPI: scp80.SPI{0x00, 0x01}, Keys: keys}
	fc := newFakeCard(t, keys, 0)
	fc.silent = true
	if _, _, err := c.Run(fc, [][]byte{unhex(t, "00a40004026f07")}); !errors.Is(err, ErrNoPoR) {
		t.Fatalf("no PoR: %v", err)
	}
	// PoR on error only, none sent: no error, Executed -1.
	c.SPI = scp80.SPI{0x00, 0x02}
	if _, res, err := c.Run(fc, [][]byte{unhex(t, "00a40004026f07")}); err != nil || res.Executed != -1 {
		t.Fatalf("%+v %v", res, err)
	}
	if _, _, err := c.Run(fc, [][]byte{unhex(t, "00a400")}); !errors.Is(err, rfm.ErrFormat) {
		t.Fatalf("bad APDU: %v", err)
	}
}

func TestCardNeverPrintsKeys(t *testing.T) {
	enc, _ := scp80.NewCipher(scp80.AlgAES, unhex(t, "c21dd66acac13cb3bc8b331b24afb57b"))
	c := &Card{TAR: scp80.TARRFMUSIM, Keys: scp80.Keys{Enc: enc}}
	for _, s := range []string{fmt.Sprintf("%v", c), fmt.Sprintf("%+v", *c), fmt.Sprintf("%#v", *c)} {
		if strings.Contains(strings.ToLower(s), "c21d") || !strings.Contains(s, "redacted") {
			t.Fatalf("%s", s)
		}
	}
}
