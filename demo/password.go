package demo

// DefaultPassword is every demo user's password unless IP_DEMO_PASSWORD
// says otherwise.
const DefaultPassword = "interviewplanner"

// DefaultPasswordHash is DefaultPassword hashed once with password.Default
// and shipped, so a first demo start spends no argon2id work on a password
// printed in the README (a test checks that it verifies).
const DefaultPasswordHash = "$argon2id$v=19$m=19456,t=2,p=1$NWHqlxEl6mv+WkGr7ERnPA$RUMryDExWINuT3pVZjWpj4ADVnXLTXQ02HBk/hw+q5U"
