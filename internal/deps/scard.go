//go:build cgo

package deps

import _ "github.com/ebfe/scard"
