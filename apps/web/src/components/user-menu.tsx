import type { MeResponse } from '@chorus/protocol'
import { useEffect, useId, useRef, useState } from 'react'
import type { ApiClient } from '../api/api-client.js'
import { useI18n } from '../i18n.js'
import { PasswordDialog } from './password-dialog.js'

/** The signed-in member of staff's name, opening a small menu: change password, sign out. */
export function UserMenu(props: { api: ApiClient; me: MeResponse | null; onSignOut: () => void }) {
  const { t } = useI18n()
  const [open, setOpen] = useState(false)
  const [changing, setChanging] = useState(false)
  const menuId = useId()
  const root = useRef<HTMLDivElement>(null)

  useEffect(() => {
    if (!open) return
    const onPointer = (event: PointerEvent) => {
      if (!root.current?.contains(event.target as Node)) setOpen(false)
    }
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') setOpen(false)
    }
    document.addEventListener('pointerdown', onPointer)
    document.addEventListener('keydown', onKey)
    return () => {
      document.removeEventListener('pointerdown', onPointer)
      document.removeEventListener('keydown', onKey)
    }
  }, [open])

  const name = props.me ? props.me.displayName || props.me.email : '…'
  return (
    <div className="user-menu" ref={root}>
      <button
        type="button"
        aria-expanded={open}
        aria-controls={menuId}
        aria-label={t('user.menu', { name })}
        data-testid="user-menu"
        onClick={() => setOpen((shown) => !shown)}
      >
        <span className="user-name">{name}</span> <span aria-hidden="true">▾</span>
      </button>
      {open && (
        <ul id={menuId} className="user-menu-list">
          {props.me && (
            <li className="muted user-menu-role">
              {props.me.email} · {t(props.me.role === 'admin' ? 'user.roleAdmin' : 'user.roleAgent')}
            </li>
          )}
          <li>
            <button
              type="button"
              data-testid="change-password"
              onClick={() => {
                setOpen(false)
                setChanging(true)
              }}
            >
              {t('password.change')}
            </button>
          </li>
          <li>
            <button type="button" data-testid="sign-out" onClick={props.onSignOut}>
              {t('signOut')}
            </button>
          </li>
        </ul>
      )}
      {changing && <PasswordDialog api={props.api} onClose={() => setChanging(false)} />}
    </div>
  )
}
