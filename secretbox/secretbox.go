// Package secretbox seals secrets at rest (OAuth tokens) with AES-256-GCM.
//
// Every sealed value names the key that sealed it, so keys can rotate: a
// Keyring seals with its current key and still opens values sealed with
// older ones. Associated data binds a value to its owner (for example the
// account id), so a row copied to another account does not open.
package secretbox

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// KeySize is the length of an AES-256 key in bytes.
const KeySize = 32

var (
	// ErrUnknownKey means the value was sealed with a key the keyring does not hold.
	ErrUnknownKey = errors.New("secretbox: sealed with an unknown key")
	// ErrOpen means the value is malformed, was tampered with, or the associated data differs.
	ErrOpen = errors.New("secretbox: cannot open sealed value")
)

// Keyring holds the current sealing key and older keys that can still open.
type Keyring struct {
	current string
	aeads   map[string]cipher.AEAD
}

// Key is one named key.
type Key struct {
	ID    string
	Bytes []byte
}

// NewKeyring builds a keyring; the first key is current.
func NewKeyring(keys ...Key) (*Keyring, error) {
	if len(keys) == 0 {
		return nil, errors.New("secretbox: no keys")
	}
	kr := &Keyring{current: keys[0].ID, aeads: make(map[string]cipher.AEAD, len(keys))}
	for _, k := range keys {
		if err := validID(k.ID); err != nil {
			return nil, err
		}
		if len(k.Bytes) != KeySize {
			return nil, fmt.Errorf("secretbox: key %q is %d bytes, want %d", k.ID, len(k.Bytes), KeySize)
		}
		if _, dup := kr.aeads[k.ID]; dup {
			return nil, fmt.Errorf("secretbox: key id %q given twice", k.ID)
		}
		block, err := aes.NewCipher(k.Bytes)
		if err != nil {
			return nil, fmt.Errorf("secretbox: key %q: %w", k.ID, err)
		}
		aead, err := cipher.NewGCM(block)
		if err != nil {
			return nil, fmt.Errorf("secretbox: key %q: %w", k.ID, err)
		}
		kr.aeads[k.ID] = aead
	}
	return kr, nil
}

func validID(id string) error {
	if id == "" {
		return errors.New("secretbox: empty key id")
	}
	if strings.ContainsAny(id, ":, \t\r\n") {
		return fmt.Errorf("secretbox: key id %q contains a separator", id)
	}
	return nil
}

// ParseKeys reads an IP_SECRET_KEY value: "k2:base64key,k1:base64key" with the
// current key first, or a single bare base64 32-byte key, which gets id "k1".
func ParseKeys(s string) (*Keyring, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, errors.New("secretbox: empty key setting")
	}
	var keys []Key
	for part := range strings.SplitSeq(s, ",") {
		part = strings.TrimSpace(part)
		id, b64, found := strings.Cut(part, ":")
		if !found {
			if len(keys) > 0 || strings.Contains(s, ",") {
				return nil, errors.New("secretbox: with several keys every key needs an id (id:base64key)")
			}
			id, b64 = "k1", part
		}
		raw, err := decodeKey(b64)
		if err != nil {
			// Never echo the key material itself.
			return nil, fmt.Errorf("secretbox: key %q is not valid base64", id)
		}
		keys = append(keys, Key{ID: id, Bytes: raw})
	}
	return NewKeyring(keys...)
}

// decodeKey accepts standard or URL-safe base64, padded or not, since keys
// come from operators who generate them with various tools.
func decodeKey(s string) ([]byte, error) {
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(s); err == nil {
			return b, nil
		}
	}
	return nil, errors.New("invalid base64")
}

// CurrentKeyID is the id of the key new values are sealed with.
func (kr *Keyring) CurrentKeyID() string { return kr.current }

// Seal encrypts plaintext with the current key and returns "keyid:base64(nonce|ciphertext)".
func (kr *Keyring) Seal(plaintext, associatedData []byte) (string, error) {
	aead := kr.aeads[kr.current]
	nonce := make([]byte, aead.NonceSize(), aead.NonceSize()+len(plaintext)+aead.Overhead())
	if _, err := rand.Read(nonce); err != nil {
		return "", fmt.Errorf("secretbox: nonce: %w", err)
	}
	out := aead.Seal(nonce, nonce, plaintext, associatedData)
	return kr.current + ":" + base64.RawStdEncoding.EncodeToString(out), nil
}

// Open decrypts a value produced by Seal with any key of the keyring.
func (kr *Keyring) Open(sealed string, associatedData []byte) ([]byte, error) {
	id, b64, ok := strings.Cut(sealed, ":")
	if !ok {
		return nil, ErrOpen
	}
	aead, ok := kr.aeads[id]
	if !ok {
		return nil, fmt.Errorf("%w %q", ErrUnknownKey, id)
	}
	raw, err := base64.RawStdEncoding.DecodeString(b64)
	if err != nil || len(raw) < aead.NonceSize()+aead.Overhead() {
		return nil, ErrOpen
	}
	nonce, ct := raw[:aead.NonceSize()], raw[aead.NonceSize():]
	pt, err := aead.Open(nil, nonce, ct, associatedData)
	if err != nil {
		return nil, ErrOpen
	}
	return pt, nil
}

// KeyID reports which key sealed a value, so callers can find rows still
// sealed with a retired key and reseal them.
func KeyID(sealed string) string {
	id, _, _ := strings.Cut(sealed, ":")
	return id
}

// GenerateKeyFile returns the contents of the key file at path, creating it
// with a fresh random key (mode 0600) if it does not exist. Demo mode uses it
// so a first start needs no configuration.
func GenerateKeyFile(path string) (string, error) {
	if b, err := os.ReadFile(path); err == nil {
		return strings.TrimSpace(string(b)), nil
	} else if !errors.Is(err, os.ErrNotExist) {
		return "", fmt.Errorf("secretbox: read key file: %w", err)
	}
	key := make([]byte, KeySize)
	if _, err := rand.Read(key); err != nil {
		return "", fmt.Errorf("secretbox: generate key: %w", err)
	}
	contents := "k1:" + base64.StdEncoding.EncodeToString(key)
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return "", fmt.Errorf("secretbox: key file directory: %w", err)
	}
	// O_EXCL: if two processes start at once, exactly one writes and the other reads its key.
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) {
		b, rerr := os.ReadFile(path)
		if rerr != nil {
			return "", fmt.Errorf("secretbox: read key file: %w", rerr)
		}
		return strings.TrimSpace(string(b)), nil
	}
	if err != nil {
		return "", fmt.Errorf("secretbox: create key file: %w", err)
	}
	if _, err := f.WriteString(contents + "\n"); err != nil {
		f.Close()
		return "", fmt.Errorf("secretbox: write key file: %w", err)
	}
	if err := f.Close(); err != nil {
		return "", fmt.Errorf("secretbox: write key file: %w", err)
	}
	return contents, nil
}
