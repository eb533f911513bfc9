package mail

import "testing"

func TestNew(t *testing.T) {
	s, err := New("", "a@b.c", nil)
	if _, ok := s.(*Outbox); err != nil || !ok {
		t.Fatalf("New(\"\") = %T, %v", s, err)
	}
	if _, err := New("http://x", "a@b.c", nil); err == nil {
		t.Fatal("want error for http scheme")
	}
	s, err = New("smtp://u:p@mail.example.com:587", "a@b.c", nil)
	if _, ok := s.(*SMTP); err != nil || !ok {
		t.Fatalf("New(smtp) = %T, %v", s, err)
	}
}
