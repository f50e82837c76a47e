/**
 * @jest-environment jsdom
 */
import { afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals'
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react'
import type { AdminApi } from '../../api/admin-client.js'
import type { Bot, StaffAccount, TeamDetail } from '../../api/admin-types.js'
import { StaffDialog } from './staff-dialog.js'
import { TeamDialog } from './team-dialog.js'

beforeAll(() => {
  // jsdom has no modal dialogs: opening one just marks it open.
  HTMLDialogElement.prototype.showModal = function (this: HTMLDialogElement) {
    this.open = true
  }
})

afterEach(cleanup)

const fill = (testId: string, value: string) => fireEvent.change(screen.getByTestId(testId), { target: { value } })

const support: TeamDetail = { id: 'team-1', name: 'Support', botIds: [], memberIds: [] }
const liNa: StaffAccount = {
  id: 'staff-1',
  email: 'li.na@chorus.test',
  displayName: 'Li Na',
  role: 'agent',
  capacity: 3,
  disabled: false,
  teamIds: [],
  online: false,
}

function fakeAdmin() {
  return {
    createStaff: jest.fn<AdminApi['createStaff']>().mockResolvedValue(undefined),
    updateStaff: jest.fn<AdminApi['updateStaff']>().mockResolvedValue(undefined),
    createTeam: jest.fn<AdminApi['createTeam']>().mockResolvedValue({}),
    updateTeam: jest.fn<AdminApi['updateTeam']>().mockResolvedValue({}),
  }
}

describe('the staff dialog', () => {
  function renderDialog(member: StaffAccount | null) {
    const admin = fakeAdmin()
    const onSaved = jest.fn<() => void>()
    render(
      <StaffDialog
        admin={admin as unknown as AdminApi}
        member={member}
        teams={[support]}
        isSelf={false}
        onSaved={onSaved}
        onClose={() => undefined}
      />,
    )
    return { admin, onSaved }
  }

  it('adds an account with what the API needs, the name trimmed', async () => {
    const { admin, onSaved } = renderDialog(null)
    fill('staff-email', 'zhang.wei@chorus.test')
    fill('staff-name', '  Zhang Wei ')
    fill('staff-password', 'agent-password-1')
    fireEvent.click(screen.getByLabelText('Support'))
    fireEvent.click(screen.getByTestId('staff-submit'))
    await waitFor(() => expect(onSaved).toHaveBeenCalled())
    expect(admin.createStaff).toHaveBeenCalledWith({
      email: 'zhang.wei@chorus.test',
      displayName: 'Zhang Wei',
      password: 'agent-password-1',
      role: 'agent',
      capacity: 5,
      teamIds: ['team-1'],
    })
  })

  it('names a password the API would refuse beside its field, sending nothing', async () => {
    const { admin } = renderDialog(null)
    fill('staff-email', 'zhang.wei@chorus.test')
    fill('staff-name', 'Zhang Wei')
    fill('staff-password', 'short')
    fireEvent.click(screen.getByTestId('staff-submit'))
    expect(await screen.findByText('at least 10 characters')).toBeTruthy()
    expect(admin.createStaff).not.toHaveBeenCalled()
  })

  it('changes an account without its e-mail or password, and can disable it', async () => {
    const { admin, onSaved } = renderDialog(liNa)
    expect(screen.queryByTestId('staff-password')).toBeNull()
    fill('staff-capacity', '7')
    fireEvent.click(screen.getByTestId('staff-disabled'))
    fireEvent.click(screen.getByTestId('staff-submit'))
    await waitFor(() => expect(onSaved).toHaveBeenCalled())
    expect(admin.updateStaff).toHaveBeenCalledWith('staff-1', {
      displayName: 'Li Na',
      role: 'agent',
      capacity: 7,
      teamIds: [],
      disabled: true,
    })
  })
})

describe('the team dialog', () => {
  it('creates a team serving the bots and with the members ticked', async () => {
    const admin = fakeAdmin()
    const onSaved = jest.fn<() => void>()
    const bot = { id: 'bot-1', name: 'Travel' } as Bot
    render(
      <TeamDialog
        admin={admin as unknown as AdminApi}
        team={null}
        bots={[bot]}
        staff={[liNa]}
        onSaved={onSaved}
        onClose={() => undefined}
      />,
    )
    const submit = screen.getByTestId('team-submit') as HTMLButtonElement
    expect(submit.disabled).toBe(true)
    fill('team-name', ' Travel desk ')
    fireEvent.click(within(screen.getByTestId('team-bots')).getByLabelText('Travel'))
    fireEvent.click(within(screen.getByTestId('team-members')).getByLabelText('Li Na'))
    fireEvent.click(submit)
    await waitFor(() => expect(onSaved).toHaveBeenCalled())
    expect(admin.createTeam).toHaveBeenCalledWith({ name: 'Travel desk', botIds: ['bot-1'], memberIds: ['staff-1'] })
  })
})
