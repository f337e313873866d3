package web

import (
	"encoding/base64"
	"strings"
)

func encodeFlash(kind, msg string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(kind + "|" + msg))
}

func decodeFlash(v string) (string, string) {
	b, err := base64.RawURLEncoding.DecodeString(v)
	if err != nil {
		return "", ""
	}
	kind, msg, ok := strings.Cut(string(b), "|")
	if !ok || (kind != "ok" && kind != "error") || len(msg) > 500 {
		return "", ""
	}
	return msg, kind
}
