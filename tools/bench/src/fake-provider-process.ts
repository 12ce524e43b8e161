// The fake provider in a process of its own, so the benchmark's provider does not share the broker's CPU time.
import { FakeOAuthProvider } from '@tessera/testing';

const provider = await new FakeOAuthProvider({ expiresIn: Number(process.argv[2] ?? 3600) }).start();
process.send?.({ url: provider.url });
process.on('disconnect', () => void provider.stop().then(() => process.exit(0)));
