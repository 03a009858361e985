package envelope

import (
	"encoding/binary"
	"fmt"
	"slices"
	"unicode/utf8"
)

const (
	formatVersion   = 0x02
	formatVersionV1 = 0x01
	messageTypeV1   = 0x80 // "customer authenticated encrypted data", the only type of version 1
	providerAWSKMS  = "aws-kms"
	publicKeyField  = "aws-crypto-public-key"
	reservedPrefix  = "aws-crypto-"
	maxU16          = 1<<16 - 1
	maxFrameLength  = 1<<31 - 1 // the AWS Encryption SDKs' limit
	finalFrameMark  = 0xFFFFFFFF
	maxFrames       = 1<<32 - 1 // sequence numbers are u32 and 0xFFFFFFFF marks the final frame
	frameAADLabel   = "AWSKMSEncryptionClient Frame"
	finalAADLabel   = "AWSKMSEncryptionClient Final Frame"
	singleAADLabel  = "AWSKMSEncryptionClient Single Block"
	// maxNonFramed is the longest non-framed content: AES-GCM's limit of
	// 2^36-32 bytes under one IV.
	maxNonFramed = 1<<36 - 32
)

// ContentType says how a message body is laid out.
type ContentType byte

const (
	// NonFramed is a body of one AES-GCM ciphertext (content type 0x01),
	// which some AWS Encryption SDKs write on request. Decrypt reads it;
	// Encrypt never writes it.
	NonFramed ContentType = 0x01
	// Framed is a body of frames (content type 0x02), what Encrypt writes.
	Framed ContentType = 0x02
)

// String returns "framed" or "non-framed".
func (t ContentType) String() string {
	switch t {
	case NonFramed:
		return "non-framed"
	case Framed:
		return "framed"
	}
	return fmt.Sprintf("ContentType(0x%02x)", byte(t))
}

// DataKey is one encrypted data key of a message header.
type DataKey struct {
	// ProviderID names the keyring that wrapped the key: "aws-kms" for
	// KMS, the key namespace for raw AES and raw RSA keys.
	ProviderID string
	// ProviderInfo identifies the wrapping key: for "aws-kms" the KMS key
	// ARN; for a raw RSA key its name; for a raw AES key its name followed
	// by binary fields (tag length, IV length and IV).
	ProviderInfo string
	Ciphertext   []byte // the encrypted data key: KMS CiphertextBlob, or the raw keyring's ciphertext
}

// Header is a parsed message header, of message format version 1 or 2.
// ParseHeader does not authenticate it: only Decrypt, with the data key,
// can. A Header holds no secret (the commit key is public by design) and is
// not modified after parsing, so it may be read concurrently.
type Header struct {
	Version           int               // message format version: 2, or 1 for the non-committing suites
	Suite             Suite             // algorithm suite
	MessageID         []byte            // random, unique per message: 32 bytes (version 2, the HKDF salt) or 16 (version 1)
	EncryptionContext map[string]string // including aws-crypto-public-key for the signed suites
	DataKeys          []DataKey
	ContentType       ContentType // Framed or NonFramed
	FrameLength       int         // plaintext bytes per frame; 0 for NonFramed
	IVLength          int         // bytes of every IV: 12 for every suite
	Size              int         // bytes of the header, authentication tag included

	commitKey [commitKeySize]byte // version 2
	authIV    [ivSize]byte        // version 1 (version 2: zero)
	authTag   [tagSize]byte
	body      []byte // the serialized header body: the AAD of the header tag
}

// serializeContext appends the encryption context in the format's form:
// u16 count, then (u16 length, key, u16 length, value) sorted by key bytes;
// nothing at all for an empty context. It reports false when a field or the
// whole is over 65,535 bytes or a string is not valid UTF-8.
func serializeContext(dst []byte, ec map[string]string) ([]byte, bool) {
	if len(ec) == 0 {
		return dst, true
	}
	// Each pair takes at least 4 bytes plus its key and value: a count, key
	// or value over 65,535 makes the whole longer than 65,535 bytes, which
	// the last check refuses, so only the whole is checked.
	keys := make([]string, 0, len(ec))
	for k := range ec {
		keys = append(keys, k)
	}
	slices.Sort(keys) // Go compares strings bytewise: the UTF-8 order of the format
	start := len(dst)
	dst = binary.BigEndian.AppendUint16(dst, uint16(len(ec)))
	for _, k := range keys {
		v := ec[k]
		if !utf8.ValidString(k) || !utf8.ValidString(v) {
			return dst, false
		}
		dst = binary.BigEndian.AppendUint16(dst, uint16(len(k)))
		dst = append(dst, k...)
		dst = binary.BigEndian.AppendUint16(dst, uint16(len(v)))
		dst = append(dst, v...)
	}
	return dst, len(dst)-start <= maxU16
}

// marshalBody returns the header body: everything the header tag
// authenticates.
func (h *Header) marshalBody() ([]byte, bool) {
	b := make([]byte, 0, 128+64*len(h.DataKeys))
	b = append(b, formatVersion)
	b = binary.BigEndian.AppendUint16(b, uint16(h.Suite))
	b = append(b, h.MessageID...)
	lenAt := len(b)
	b = append(b, 0, 0)
	b, ok := serializeContext(b, h.EncryptionContext)
	if !ok {
		return nil, false
	}
	binary.BigEndian.PutUint16(b[lenAt:], uint16(len(b)-lenAt-2))
	if len(h.DataKeys) == 0 || len(h.DataKeys) > maxU16 {
		return nil, false
	}
	b = binary.BigEndian.AppendUint16(b, uint16(len(h.DataKeys)))
	for _, k := range h.DataKeys {
		if len(k.ProviderID) > maxU16 || len(k.ProviderInfo) > maxU16 || len(k.Ciphertext) > maxU16 {
			return nil, false
		}
		b = binary.BigEndian.AppendUint16(b, uint16(len(k.ProviderID)))
		b = append(b, k.ProviderID...)
		b = binary.BigEndian.AppendUint16(b, uint16(len(k.ProviderInfo)))
		b = append(b, k.ProviderInfo...)
		b = binary.BigEndian.AppendUint16(b, uint16(len(k.Ciphertext)))
		b = append(b, k.Ciphertext...)
	}
	ct := h.ContentType
	if ct == 0 {
		ct = Framed
	}
	b = append(b, byte(ct))
	b = binary.BigEndian.AppendUint32(b, uint32(h.FrameLength))
	b = append(b, h.commitKey[:]...)
	return b, true
}

// reader reads big-endian fields from a byte slice, bounding every length by
// what is actually there before anything is allocated.
type reader struct {
	b   []byte
	off int
	err error
}

func (r *reader) take(n int, field string) []byte {
	if r.err != nil {
		return nil
	}
	if n < 0 || len(r.b)-r.off < n {
		r.err = malformed("%s: need %d bytes at offset %d, have %d", field, n, r.off, len(r.b)-r.off)
		return nil
	}
	s := r.b[r.off : r.off+n]
	r.off += n
	return s
}

func (r *reader) u8(field string) byte {
	if s := r.take(1, field); s != nil {
		return s[0]
	}
	return 0
}

func (r *reader) u16(field string) int {
	if s := r.take(2, field); s != nil {
		return int(binary.BigEndian.Uint16(s))
	}
	return 0
}

func (r *reader) u32(field string) uint32 {
	if s := r.take(4, field); s != nil {
		return binary.BigEndian.Uint32(s)
	}
	return 0
}

// ParseHeader parses the header at the start of message: format version,
// suite, message ID, encryption context, encrypted data keys, content type,
// frame length, IV length. It reads message format version 2 with the
// committing suites and version 1 with the nine non-committing suites,
// framed or not. It authenticates nothing (that needs the data key); it
// rejects, with ErrMalformed, anything else, and bounds every length by the
// bytes present before allocating. Fields of the returned Header are copies,
// not aliases of message.
func ParseHeader(message []byte) (*Header, error) {
	h, err := parseHeader(message, 0)
	if err != nil {
		return nil, err
	}
	return h, nil
}

// parseHeader parses a header; maxKeys > 0 rejects more data keys.
func parseHeader(message []byte, maxKeys int) (*Header, error) {
	r := &reader{b: message}
	h := &Header{IVLength: ivSize}
	h.Version = int(r.u8("version"))
	if r.err == nil && h.Version != formatVersion && h.Version != formatVersionV1 {
		return nil, malformed("version 0x%02x, only 0x01 and 0x02 are supported", h.Version)
	}
	if h.Version == formatVersionV1 {
		if t := r.u8("type"); r.err == nil && t != messageTypeV1 {
			return nil, malformed("message type 0x%02x, only 0x80 is supported", t)
		}
	}
	h.Suite = Suite(r.u16("suite"))
	if r.err == nil {
		if i := h.Suite.info(); i == nil || int(i.version) != h.Version {
			return nil, malformed("suite %v is not supported in message format version %d", h.Suite, h.Version)
		}
	}
	idLen := messageIDSize
	if h.Version == formatVersionV1 {
		idLen = messageIDSizeV1
	}
	h.MessageID = slices.Clone(r.take(idLen, "message ID"))
	ecLen := r.u16("encryption context length")
	ec := r.take(ecLen, "encryption context")
	if r.err != nil {
		return nil, r.err
	}
	var err error
	if h.EncryptionContext, err = parseContext(ec); err != nil {
		return nil, err
	}
	n := r.u16("data key count")
	if r.err == nil && n == 0 {
		return nil, malformed("no encrypted data keys")
	}
	if maxKeys > 0 && n > maxKeys {
		return nil, malformed("%d encrypted data keys, the limit is %d", n, maxKeys)
	}
	// Each data key takes at least 6 bytes. (A short read left n at 0.)
	h.DataKeys = make([]DataKey, 0, min(n, (len(message)-r.off)/6))
	for i := 0; i < n && r.err == nil; i++ {
		var k DataKey
		k.ProviderID = string(r.take(r.u16("provider ID length"), "provider ID"))
		k.ProviderInfo = string(r.take(r.u16("provider info length"), "provider info"))
		k.Ciphertext = slices.Clone(r.take(r.u16("encrypted data key length"), "encrypted data key"))
		h.DataKeys = append(h.DataKeys, k)
	}
	h.ContentType = ContentType(r.u8("content type"))
	if r.err == nil && h.ContentType != Framed && h.ContentType != NonFramed {
		return nil, malformed("content type 0x%02x, want 0x01 (non-framed) or 0x02 (framed)", byte(h.ContentType))
	}
	if h.Version == formatVersionV1 {
		if rs := r.take(4, "reserved"); r.err == nil && string(rs) != "\x00\x00\x00\x00" {
			return nil, malformed("reserved field is not zero")
		}
		if l := r.u8("IV length"); r.err == nil && int(l) != ivSize {
			return nil, malformed("IV length %d, the suite's is %d", l, ivSize)
		}
	}
	fl := r.u32("frame length")
	if r.err == nil {
		switch {
		case h.ContentType == NonFramed && fl != 0:
			return nil, malformed("frame length %d in a non-framed message", fl)
		case h.ContentType == Framed && (fl == 0 || fl > maxFrameLength):
			return nil, malformed("frame length %d, allowed 1 to %d", fl, maxFrameLength)
		}
	}
	h.FrameLength = int(fl)
	if h.Version == formatVersion {
		copy(h.commitKey[:], r.take(commitKeySize, "commit key"))
	}
	if r.err != nil {
		return nil, r.err
	}
	h.body = slices.Clone(message[:r.off])
	if h.Version == formatVersionV1 {
		copy(h.authIV[:], r.take(ivSize, "header IV"))
	}
	copy(h.authTag[:], r.take(tagSize, "header authentication tag"))
	if r.err != nil {
		return nil, r.err
	}
	h.Size = r.off
	if _, ok := h.EncryptionContext[publicKeyField]; ok != h.Suite.signed() {
		return nil, malformed("suite %v and the presence of %s disagree", h.Suite, publicKeyField)
	}
	return h, nil
}

func parseContext(b []byte) (map[string]string, error) {
	ec := map[string]string{}
	if len(b) == 0 {
		return ec, nil
	}
	r := &reader{b: b}
	n := r.u16("encryption context count")
	if r.err == nil && n == 0 {
		return nil, malformed("encryption context of %d bytes with no pairs", len(b))
	}
	for i := 0; i < n && r.err == nil; i++ {
		k := string(r.take(r.u16("context key length"), "context key"))
		v := string(r.take(r.u16("context value length"), "context value"))
		if r.err != nil {
			break
		}
		// Writers sort by key; the order is authenticated, so only duplicates,
		// which a map cannot hold, are refused.
		if _, dup := ec[k]; dup {
			return nil, malformed("duplicate encryption context key")
		}
		if !utf8.ValidString(k) || !utf8.ValidString(v) {
			return nil, malformed("encryption context is not UTF-8")
		}
		ec[k] = v
	}
	if r.err != nil {
		return nil, r.err
	}
	if r.off != len(b) {
		return nil, malformed("%d bytes after the encryption context pairs", len(b)-r.off)
	}
	return ec, nil
}
