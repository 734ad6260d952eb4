open('/tmp/isodocs-pwned', 'w').close()
