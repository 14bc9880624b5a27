package models

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"time"

	"factdesk/auth"
)

// PendingSecret is a secret factdesk shows a person once, on the page a
// form sends them to after it succeeded: a new API token, a generated
// password.
type PendingSecret struct {
	Label string `json:"label"` // what it is: "API token “CMS import”"
	Value string `json:"value"`
}

// HoldSecret keeps sec for the session whose cookie holds cookieSecret, for
// the next page to show once, until ttl has passed; it replaces a secret
// not yet shown. It is stored sealed (AES-256-GCM) under a key derived
// from the cookie's secret, which the database never holds (it keeps the
// secret's SHA-256), so a copy of the table shows no secret even in the
// minutes one is kept. ErrNotFound when the session has ended.
func (s *Store) HoldSecret(ctx context.Context, cookieSecret string, sec PendingSecret, ttl time.Duration) error {
	idHash := auth.Digest(cookieSecret)
	sealed, err := sealSecret(cookieSecret, idHash, sec)
	if err != nil {
		return err
	}
	res := s.db.gorm.WithContext(ctx).Model(&Session{}).Where("id_hash = ? AND expires_at > ?", idHash, s.now()).
		Updates(map[string]any{"pending_secret": sealed, "pending_secret_until": s.now().Add(ttl)})
	if res.Error != nil {
		return fmt.Errorf("hold a secret for a session: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return fmt.Errorf("hold a secret: %w", ErrNotFound)
	}
	return nil
}

// TakeSecret returns the secret held for the session whose cookie holds
// cookieSecret, and clears it: of two pages that ask at once only one gets
// it. ErrNotFound when there is none, or it expired (it is cleared then
// too).
func (s *Store) TakeSecret(ctx context.Context, cookieSecret string) (*PendingSecret, error) {
	idHash := auth.Digest(cookieSecret)
	db := s.db.gorm.WithContext(ctx)
	var row struct {
		PendingSecret      []byte
		PendingSecretUntil *time.Time
	}
	err := db.Table("sessions").Select("pending_secret, pending_secret_until").
		Where("id_hash = ? AND pending_secret IS NOT NULL", idHash).Take(&row).Error
	if err != nil {
		return nil, notFound(err, "pending secret")
	}
	// Cleared only if it is still the one read: whoever clears it shows it.
	res := db.Table("sessions").Where("id_hash = ? AND pending_secret = ?", idHash, row.PendingSecret).
		Updates(map[string]any{"pending_secret": nil, "pending_secret_until": nil})
	if res.Error != nil {
		return nil, fmt.Errorf("clear the pending secret: %w", res.Error)
	}
	if res.RowsAffected == 0 || row.PendingSecretUntil == nil || !row.PendingSecretUntil.After(s.now()) {
		return nil, fmt.Errorf("pending secret: %w", ErrNotFound)
	}
	return openSecret(cookieSecret, idHash, row.PendingSecret)
}

// clearExpiredSecrets forgets the secrets of live sessions that nobody
// came to see in time.
func (s *Store) clearExpiredSecrets(ctx context.Context) error {
	err := s.db.gorm.WithContext(ctx).Table("sessions").Where("pending_secret_until <= ?", s.now()).
		Updates(map[string]any{"pending_secret": nil, "pending_secret_until": nil}).Error
	if err != nil {
		return fmt.Errorf("clear expired pending secrets: %w", err)
	}
	return nil
}

// secretAEAD is the cipher of a session's pending secret: its key comes
// from the cookie's secret by HKDF, under a label of its own, so it is not
// the digest the sessions table keeps.
func secretAEAD(cookieSecret string) (cipher.AEAD, error) {
	key, err := hkdf.Key(sha256.New, []byte(cookieSecret), nil, "factdesk pending secret", 32)
	if err != nil {
		return nil, fmt.Errorf("derive the pending secret's key: %w", err)
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("pending secret cipher: %w", err)
	}
	return cipher.NewGCM(block)
}

// sealSecret encrypts sec for one session: nonce, then ciphertext, with
// the session's id hash as additional data.
func sealSecret(cookieSecret, idHash string, sec PendingSecret) ([]byte, error) {
	aead, err := secretAEAD(cookieSecret)
	if err != nil {
		return nil, err
	}
	plain, err := json.Marshal(sec)
	if err != nil {
		return nil, fmt.Errorf("encode the pending secret: %w", err)
	}
	nonce := make([]byte, aead.NonceSize(), aead.NonceSize()+len(plain)+aead.Overhead())
	if _, err := rand.Read(nonce); err != nil {
		return nil, fmt.Errorf("pending secret nonce: %w", err)
	}
	return aead.Seal(nonce, nonce, plain, []byte(idHash)), nil
}

func openSecret(cookieSecret, idHash string, sealed []byte) (*PendingSecret, error) {
	aead, err := secretAEAD(cookieSecret)
	if err != nil {
		return nil, err
	}
	if len(sealed) < aead.NonceSize() {
		return nil, fmt.Errorf("open the pending secret: %d bytes, too short", len(sealed))
	}
	plain, err := aead.Open(nil, sealed[:aead.NonceSize()], sealed[aead.NonceSize():], []byte(idHash))
	if err != nil {
		return nil, fmt.Errorf("open the pending secret: %w", err)
	}
	var sec PendingSecret
	if err := json.Unmarshal(plain, &sec); err != nil {
		return nil, fmt.Errorf("decode the pending secret: %w", err)
	}
	return &sec, nil
}
