package milenage

// Funcs selects which of the authentication functions of TS 33.102 §6.3.2
// an Algorithm computes in one call; an implementation may compute more than
// asked (f1 and f1* share one block in Milenage, as do f2 and f5).
type Funcs uint16

// The authentication and key generation functions (TS 33.102 §6.3.2,
// TS 35.206 §4.1).
const (
	F1     Funcs = 1 << iota // f1: network authentication, MAC-A
	F1Star                   // f1*: resynchronisation message authentication, MAC-S
	F2                       // f2: user authentication, RES/XRES
	F3                       // f3: cipher key CK
	F4                       // f4: integrity key IK
	F5                       // f5: anonymity key AK
	F5Star                   // f5*: resynchronisation anonymity key AK*

	// SQNConcealed says the sqn given to Compute is SQN ⊕ AK as carried in
	// AUTN: the algorithm computes AK = f5 first and feeds SQN = sqn ⊕ AK to
	// f1 and f1*, as the USIM does (TS 33.102 §6.3.3), sharing one TEMP
	// block in Milenage.
	SQNConcealed
	// SQNConcealedStar is the same for AUTS: sqn is SQN_MS ⊕ AK*, AK* = f5*
	// is computed first and SQN_MS feeds f1 and f1* (TS 33.102 §6.3.5).
	SQNConcealedStar

	// FuncsVector is what an authentication vector needs (f1..f5).
	FuncsVector = F1 | F2 | F3 | F4 | F5
	// FuncsAll selects every function.
	FuncsAll = FuncsVector | F1Star | F5Star
)

// Output holds the results of one Algorithm.Compute call; fields of
// functions not selected are zero.
type Output struct {
	MACA   MAC // f1 (TS 33.102 §6.3.2)
	MACS   MAC // f1* (TS 33.102 §6.3.3)
	RES    RES // f2
	CK     Key // f3
	IK     Key // f4
	AK     AK  // f5
	AKStar AK  // f5*
}

// Algorithm is an authentication and key agreement algorithm set: the
// functions f1, f1*, f2, f3, f4, f5 and f5* of TS 33.102 §6.3.2 bound to one
// subscriber's secrets. Milenage (TS 35.206) and the XOR test algorithm
// (TS 34.108 §8.1.2) implement it, so a card or an AuC can be configured
// with either.
//
// Compute evaluates the functions in fns for rand; sqn and amf are the
// inputs of f1 and f1* and are ignored by the others. With SQNConcealed in
// fns, sqn is SQN ⊕ AK and AK is computed (and returned) as with F5; with
// SQNConcealedStar, sqn is SQN_MS ⊕ AK* and AK* is computed as with F5Star
// (set at most one of the two). It must not allocate,
// must be safe for concurrent use and must not retain its arguments.
type Algorithm interface {
	Compute(rand RAND, sqn SQN, amf AMF, fns Funcs) Output
}
