// Small inline icons for chat (currentColor, decorative: buttons carry their own labels).
const base = { width: 16, height: 16, viewBox: '0 0 16 16', fill: 'none', 'aria-hidden': true } as const;
const line = { stroke: 'currentColor', strokeWidth: 1.5, strokeLinecap: 'round', strokeLinejoin: 'round' } as const;

export function ChatIcon() {
  return (
    <svg {...base}>
      <path d="M2.5 4.2c0-1 .8-1.7 1.7-1.7h7.6c1 0 1.7.8 1.7 1.7v5c0 1-.8 1.7-1.7 1.7H7l-3 2.6v-2.6h0c-.8 0-1.5-.8-1.5-1.7z" {...line} />
    </svg>
  );
}

export function SendIcon() {
  return (
    <svg {...base}>
      <path d="M2.5 8h7M2.2 2.6l11.3 5.4-11.3 5.4L4 8z" {...line} />
    </svg>
  );
}

export function BackIcon() {
  return (
    <svg {...base}>
      <path d="M10 3 5 8l5 5" {...line} />
    </svg>
  );
}

export function BellIcon({ off = false }: { off?: boolean }) {
  return (
    <svg {...base}>
      <path d="M4 11V7a4 4 0 0 1 8 0v4l1 1.5H3zM6.5 14h3" {...line} />
      {off && <path d="M2 2.5l12 11" {...line} />}
    </svg>
  );
}

export function SoundIcon({ off = false }: { off?: boolean }) {
  return (
    <svg {...base}>
      <path d="M2.5 6h2.2L8 3.2v9.6L4.7 10H2.5z" {...line} />
      {off ? <path d="M10.5 6l3 4M13.5 6l-3 4" {...line} /> : <path d="M10.5 5.5a3.5 3.5 0 0 1 0 5M12.3 3.8a6 6 0 0 1 0 8.4" {...line} />}
    </svg>
  );
}

export function InfoIcon() {
  return (
    <svg {...base}>
      <circle cx="8" cy="8" r="6" {...line} />
      <path d="M8 7.3V11M8 5h0" {...line} />
    </svg>
  );
}

export function CheckIcon() {
  return (
    <svg {...base}>
      <path d="M3 8.5 6.5 12 13 4.5" {...line} />
    </svg>
  );
}
