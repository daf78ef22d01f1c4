package apitest

import (
	"bytes"
	"encoding/json"
)

// jsonUnmarshal decodes as kin-openapi's validators expect: numbers as
// float64, like encoding/json.
func jsonUnmarshal(b []byte, v any) error {
	return json.NewDecoder(bytes.NewReader(b)).Decode(v)
}
