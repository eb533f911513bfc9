package secretbox_test

import (
	"bytes"
	"encoding/base64"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"interviewplanner/secretbox"
)

func key(b byte) string {
	return base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{b}, secretbox.KeySize))
}

func MustParseKeys(tb testing.TB, s string) *secretbox.Keyring {
	tb.Helper()
	kr, err := secretbox.ParseKeys(s)
	if err != nil {
		tb.Fatalf("ParseKeys: %v", err)
	}
	return kr
}

func MustSeal(tb testing.TB, kr *secretbox.Keyring, pt, ad string) string {
	tb.Helper()
	s, err := kr.Seal([]byte(pt), []byte(ad))
	if err != nil {
		tb.Fatalf("Seal: %v", err)
	}
	return s
}

func TestParseKeys(t *testing.T) {
	tests := []struct {
		name      string
		in        string
		currentID string
		wantErr   bool
	}{
		{"bare key is k1", key(1), "k1", false},
		{"bare raw url base64", base64.RawURLEncoding.EncodeToString(bytes.Repeat([]byte{9}, 32)), "k1", false},
		{"first is current", "k2:" + key(2) + ",k1:" + key(1), "k2", false},
		{"spaces tolerated", " k2:" + key(2) + " , k1:" + key(1) + " ", "k2", false},
		{"empty", "", "", true},
		{"short key", "k1:" + base64.StdEncoding.EncodeToString([]byte("short")), "", true},
		{"not base64", "k1:!!!", "", true},
		{"duplicate id", "k1:" + key(1) + ",k1:" + key(2), "", true},
		{"bare key among several", key(1) + ",k2:" + key(2), "", true},
		{"empty id", ":" + key(1), "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			kr, err := secretbox.ParseKeys(tt.in)
			if tt.wantErr {
				if err == nil {
					t.Fatalf("ParseKeys(%q) succeeded, want error", tt.in)
				}
				if strings.Contains(err.Error(), "!!!") {
					t.Fatalf("error echoes key material: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseKeys: %v", err)
			}
			if kr.CurrentKeyID() != tt.currentID {
				t.Fatalf("current = %q, want %q", kr.CurrentKeyID(), tt.currentID)
			}
		})
	}
}

func TestSealOpen(t *testing.T) {
	kr := MustParseKeys(t, key(7))
	sealed := MustSeal(t, kr, "refresh-token-value", "account:42")
	if !strings.HasPrefix(sealed, "k1:") || strings.Contains(sealed, "refresh-token-value") {
		t.Fatalf("sealed = %q", sealed)
	}
	if again := MustSeal(t, kr, "refresh-token-value", "account:42"); again == sealed {
		t.Fatal("two seals of the same value are equal; nonce is not random")
	}
	pt, err := kr.Open(sealed, []byte("account:42"))
	if err != nil || string(pt) != "refresh-token-value" {
		t.Fatalf("Open = %q, %v", pt, err)
	}
	if secretbox.KeyID(sealed) != "k1" {
		t.Fatalf("KeyID = %q", secretbox.KeyID(sealed))
	}
}

func TestOpenRejects(t *testing.T) {
	kr := MustParseKeys(t, key(7))
	sealed := MustSeal(t, kr, "secret", "account:42")
	flip := func(s string, i int) string {
		id, b64, _ := strings.Cut(s, ":")
		raw, _ := base64.RawStdEncoding.DecodeString(b64)
		raw[i] ^= 0x01
		return id + ":" + base64.RawStdEncoding.EncodeToString(raw)
	}
	tests := []struct {
		name   string
		sealed string
		ad     string
		want   error
	}{
		{"wrong associated data (row copied to another account)", sealed, "account:43", secretbox.ErrOpen},
		{"missing associated data", sealed, "", secretbox.ErrOpen},
		{"tampered nonce", flip(sealed, 0), "account:42", secretbox.ErrOpen},
		{"tampered ciphertext", flip(sealed, 13), "account:42", secretbox.ErrOpen},
		{"tampered tag", flip(sealed, len("secret")+12+15), "account:42", secretbox.ErrOpen},
		{"truncated", sealed[:len(sealed)-4], "account:42", secretbox.ErrOpen},
		{"no key id", strings.TrimPrefix(sealed, "k1:"), "account:42", secretbox.ErrOpen},
		{"unknown key id", "k9:" + strings.TrimPrefix(sealed, "k1:"), "account:42", secretbox.ErrUnknownKey},
		{"empty", "", "account:42", secretbox.ErrOpen},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pt, err := kr.Open(tt.sealed, []byte(tt.ad))
			if !errors.Is(err, tt.want) {
				t.Fatalf("Open = %q, %v; want %v", pt, err, tt.want)
			}
		})
	}
}

func TestRotation(t *testing.T) {
	old := MustParseKeys(t, "k1:"+key(1))
	sealedOld := MustSeal(t, old, "old-token", "a1")

	rotated := MustParseKeys(t, "k2:"+key(2)+",k1:"+key(1))
	pt, err := rotated.Open(sealedOld, []byte("a1"))
	if err != nil || string(pt) != "old-token" {
		t.Fatalf("open value sealed with retired key: %q, %v", pt, err)
	}
	sealedNew := MustSeal(t, rotated, "new-token", "a1")
	if secretbox.KeyID(sealedNew) != "k2" {
		t.Fatalf("new value sealed with %q, want k2", secretbox.KeyID(sealedNew))
	}
	if _, err := old.Open(sealedNew, []byte("a1")); !errors.Is(err, secretbox.ErrUnknownKey) {
		t.Fatalf("old keyring opened new value: %v", err)
	}
	// Same id, different key material: must not open.
	impostor := MustParseKeys(t, "k1:"+key(3))
	if _, err := impostor.Open(sealedOld, []byte("a1")); !errors.Is(err, secretbox.ErrOpen) {
		t.Fatalf("wrong key material opened value: %v", err)
	}
}

func TestGenerateKeyFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "data", "secret.key")
	first, err := secretbox.GenerateKeyFile(path)
	if err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode = %v, want 0600", info.Mode().Perm())
	}
	second, err := secretbox.GenerateKeyFile(path)
	if err != nil || second != first {
		t.Fatalf("second call = %q, %v; want the existing key %q", second, err, first)
	}
	kr := MustParseKeys(t, first)
	sealed := MustSeal(t, kr, "x", "ad")
	if pt, err := MustParseKeys(t, second).Open(sealed, []byte("ad")); err != nil || string(pt) != "x" {
		t.Fatalf("open with reloaded key: %q %v", pt, err)
	}
}

func FuzzOpen(f *testing.F) {
	kr, err := secretbox.ParseKeys("k2:" + key(2) + ",k1:" + key(1))
	if err != nil {
		f.Fatal(err)
	}
	good, _ := kr.Seal([]byte("token"), []byte("ad"))
	f.Add(good, []byte("ad"))
	f.Add("k1:", []byte(nil))
	f.Add("k2:AAAA", []byte("ad"))
	f.Add(":::", []byte("x"))
	f.Fuzz(func(t *testing.T, sealed string, ad []byte) {
		pt, err := kr.Open(sealed, ad)
		if err != nil {
			if pt != nil {
				t.Fatalf("Open returned plaintext with error")
			}
			return
		}
		// Anything that opens must be a value we sealed, under its own AD.
		// (Each fuzz worker seals its own seed, so compare content, not the string.)
		if string(ad) != "ad" || string(pt) != "token" {
			t.Fatalf("Open(%q, %q) = %q without error", sealed, ad, pt)
		}
	})
}
