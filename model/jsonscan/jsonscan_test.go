package jsonscan

import "testing"

func TestStringEnd(t *testing.T) {
	cases := []struct {
		in   string
		want int
	}{
		{`"abc",1`, 5},
		{`"a\"b"x`, 6},
		{`"a\\"x`, 5},
		{`"\u0022"`, 8},
		{`"open`, 6},
		{`"a\`, 4},
	}
	for _, c := range cases {
		if got := StringEnd([]byte(c.in), 0); got != c.want {
			t.Errorf("StringEnd(%s) = %d, want %d", c.in, got, c.want)
		}
	}
}
