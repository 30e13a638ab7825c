/**
 * `<digit-listener>` in a React 19 app: the built package registers the tag; React 19 passes
 * attributes to custom elements and the events are read with a ref (they bubble and are
 * composed, so a listener on any ancestor works too). `npm run build:examples` builds it.
 *
 * An app that bundles the package moves its code, so it says where the model and the wasm files
 * are: here the package's own `lib/models` and `lib/wasm` (copy them to your public folder and
 * point `model-src` / `wasm-path` there).
 */
import { type DetailedHTMLProps, type HTMLAttributes, useEffect, useRef, useState } from 'react';
import { createRoot } from 'react-dom/client';
import '../../lib/digit-listener.js';

declare module 'react' {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace JSX {
    interface IntrinsicElements {
      'digit-listener': DetailedHTMLProps<HTMLAttributes<HTMLElement>, HTMLElement> & {
        continuous?: boolean;
        'digits-timeout'?: number;
        'model-src'?: string;
        'wasm-path'?: string;
      };
    }
  }
}

function PhoneNumber() {
  const listener = useRef<HTMLElement>(null);
  const [digits, setDigits] = useState('');
  const [numbers, setNumbers] = useState<string[]>([]);
  useEffect(() => {
    const el = listener.current!;
    const onDigit = (e: Event) => setDigits((d) => d + (e as CustomEvent<{ digit: number }>).detail.digit);
    const onDigits = (e: Event) => {
      setNumbers((n) => [...n, (e as CustomEvent<{ digits: string }>).detail.digits]);
      setDigits('');
    };
    el.addEventListener('digit', onDigit);
    el.addEventListener('digits', onDigits);
    return () => {
      el.removeEventListener('digit', onDigit);
      el.removeEventListener('digits', onDigits);
    };
  }, []);
  return (
    <main>
      <h1>Phone number by voice (React)</h1>
      <digit-listener ref={listener} continuous digits-timeout={1200} model-src="../../../lib/models/default/model.json" wasm-path="../../../lib/wasm/" />
      <p>
        Hearing: <span id="hearing">{digits}</span>
      </p>
      <ul id="numbers" aria-label="Numbers heard">
        {numbers.map((n, i) => (
          <li key={i}>{n}</li>
        ))}
      </ul>
    </main>
  );
}

createRoot(document.getElementById('root')!).render(<PhoneNumber />);
